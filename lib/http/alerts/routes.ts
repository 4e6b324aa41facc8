import Router from '@koa/router';
import type { Eta } from 'eta';
import { createHmac, randomBytes } from 'node:crypto';
import type { AppContext, AppState } from '../shared/context.js';
import type { PayDeps } from '../../use-cases/shared/deps.js';
import { confirmAlertLink, readAlertLink, type AlertLinkView } from '../../use-cases/shops/confirm-alert-recipient.js';
import { direction, pickLang, translator } from '../../i18n/index.js';
import { e164 } from '../../domain/phone.js';
import { secretsEqual } from '../../domain/secrets.js';
import { acceptedCodeSecrets } from '../../use-cases/payments/code-secrets.js';
import { AppError } from '../../domain/errors.js';
import { field, formOf } from '../shared/form.js';

const COOKIE = 'tp_alert_csrf';

/**
 * docs/merchant-guide.md#alerts: the link a new alert recipient got. GET only shows the question (mail scanners open
 * links), the button POSTs; the form carries a token bound to a cookie of this browser and the link.
 */
export function alertRoutes(deps: PayDeps, views: Eta): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/alerts/confirm' });
  router.use(async (ctx, next) => {
    ctx.state.errorFormat = 'html';
    await next();
  });

  router.get('/:token', async (ctx) => {
    const view = await readAlertLink(deps, ctx.params.token!);
    render(ctx, views, view, view.state === 'open' ? csrfOf(ctx, deps.config.codeSecret!, ctx.params.token!) : undefined);
  });

  router.post('/:token', async (ctx) => {
    const csrf = field(formOf(ctx), 'csrf', 100);
    const nonce = ctx.cookies.get(COOKIE);
    // a token made from the previous (or next) CODE_SECRET of a rotation is good too
    if (!nonce || !csrf || !acceptedCodeSecrets(deps.config).map((key) => secretsEqual(csrf, sign(key, nonce, ctx.params.token!))).reduce((a, b) => a || b, false)) {
      throw new AppError('forbidden', 'This form has expired or did not come from this page. Open the link again and press the button.');
    }
    render(ctx, views, await confirmAlertLink(deps, ctx.params.token!));
  });

  return router;
}

function render(ctx: AppContext, views: Eta, view: AlertLinkView, csrf?: string) {
  const lang = pickLang([view.shop?.lang], ctx.get('Accept-Language'));
  const t = translator(lang);
  const to = view.kind === 'phone' && view.address ? e164(view.address) : view.address ?? '';
  const shop = view.shop?.name ?? '';
  const text = { confirmed: t('alert.confirm.done', { to, shop }), expired: t('alert.confirm.expired'), unknown: t('alert.confirm.unknown'), open: '' }[view.state];
  ctx.status = { open: 200, confirmed: 200, expired: 410, unknown: 404 }[view.state];
  ctx.type = 'text/html; charset=utf-8';
  ctx.set('Cache-Control', 'no-store');
  ctx.body = views.render('./alert-confirm', {
    lang, dir: direction(lang), heading: t('alert.confirm.title'), text, ok: view.state === 'confirmed',
    question: t('alert.confirm.question', { shop, to }),
    form: csrf ? { action: ctx.path, csrf, button: t('alert.confirm.button') } : undefined,
  });
}

function csrfOf(ctx: AppContext, serverKey: string, token: string): string {
  let nonce = ctx.cookies.get(COOKIE);
  if (!nonce || !/^[A-Za-z0-9_-]{43}$/.test(nonce)) {
    nonce = randomBytes(32).toString('base64url');
    ctx.cookies.set(COOKIE, nonce, { httpOnly: true, sameSite: 'lax', path: '/alerts/confirm', secure: ctx.protocol === 'https', overwrite: true });
  }
  return sign(serverKey, nonce, token);
}

function sign(serverKey: string, nonce: string, token: string): string {
  return createHmac('sha256', serverKey).update(`alert-confirm:${nonce}:${token}`).digest('base64url');
}
