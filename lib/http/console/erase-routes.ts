import type Router from '@koa/router';
import type { AppState } from '../shared/context.js';
import type { PayDeps } from '../../use-cases/shared/deps.js';
import { erasePhone } from '../../use-cases/buyers/erase-phone.js';
import { consoleNote } from '../../use-cases/console/actor.js';
import { parsePhone, e164 } from '../../domain/phone.js';
import { formOf, field } from '../shared/form.js';
import { actorOnce, allow, shownBesideForm } from './guard.js';
import type { ConsoleView } from './view.js';

/** docs/operator-guide.md#erasure-and-export: an admin erases a phone from the console, as `POST /admin/v1/phones/{phone}/erase` does. */
export function eraseRoutes(router: Router<AppState>, deps: PayDeps, view: ConsoleView) {
  router.get('/erase', async (ctx) => {
    const state = allow(ctx, 'erase');
    const done = typeof ctx.query.done === 'string' && /^\+\*{5,13}\d{2}$/.test(ctx.query.done) ? ctx.query.done : undefined;
    view(ctx, './console-erase', { phone: '', flash: done ? state.t('console.erase.done', { phone: done }) : undefined });
  });
  router.post('/erase', async (ctx) => {
    const state = allow(ctx, 'erase');
    const form = formOf(ctx);
    const typed = field(form, 'phone', 40);
    const parsed = parsePhone(typed);
    if (!parsed.ok) return view(ctx, './console-erase', { phone: typed, problem: state.t('console.erase.invalid') }, 400);
    if (form.get('confirmed') !== '1') {
      return view(ctx, './office-confirm', { question: state.t('console.erase.confirm', { phone: e164(parsed.phone) }), action: ctx.path, fields: [['phone', e164(parsed.phone)]], back: '/console/erase' });
    }
    // the done page names the phone masked only: it is a URL, and URLs are logged
    const actor = actorOnce<{ masked: string }>(ctx, (r) => `/console/erase?done=${encodeURIComponent(r.masked)}`);
    try {
      const erased = await erasePhone(deps, parsed.phone, { by: actor.email, userId: actor.userId }, consoleNote(deps, actor, 'phone.erased', { target: null }, (r) => ({ rows: r.rows })));
      ctx.status = 303;
      ctx.redirect(`/console/erase?done=${encodeURIComponent(erased.masked)}`);
    } catch (err) {
      if (!shownBesideForm(err)) throw err;
      const problem = err.code === 'wallet_not_empty' ? state.t('console.erase.not_empty', { purse: String(err.extra.purse ?? '') }) : err.message;
      return view(ctx, './console-erase', { phone: typed, problem }, err.status);
    }
  });
}
