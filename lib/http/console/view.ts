import type { Eta } from 'eta';
import { pagePath } from '../shared/page-address.js';
import type { AppContext } from '../shared/context.js';
import { LANGS, LANG_NAMES, direction, translator } from '../../i18n/index.js';
import { consoleCan, type ConsoleAction } from '../../domain/console.js';
import type { Clock } from '../../clock.js';
import { formToken } from '../shared/action-tokens.js';
import { format, officeLang } from '../office/view.js';
import { CONSOLE_NAV } from './nav.js';

/** What the shared layout and sign-in pages say and link to in the console. */
export const CONSOLE_AREA = { base: '/console', title: 'console.title', totpNeeded: 'console.totp.needed', totpRequired: 'console.totp.required', role: 'console.role.' };

export type ConsoleView = (ctx: AppContext, template: string, data: Record<string, unknown>, status?: number) => void;

/**
 * Renders a console page in the office's layout (docs/operator-guide.md#operator-console), with the navigation the role may use,
 * `can(action)` for the forms a page shows, and each action form's one-time token (`once(path)`).
 */
export function consoleView(views: Eta, clock: Clock): ConsoleView {
  return (ctx, template, data, status = 200) => {
    const state = ctx.state.console;
    const lang = state?.lang ?? officeLang(ctx);
    const t = translator(lang);
    const role = state?.session.user.role;
    const seen = new Set<string>();
    // a cashier's desk and everyone's wallets are one page: listed once
    const nav = role && !state.session.secondFactorDue
      ? CONSOLE_NAV.filter((n) => consoleCan(role, n.needs) && !seen.has(n.href) && seen.add(n.href))
        .map((n) => ({ href: n.href, label: t(n.key), current: ctx.path === n.href }))
      : undefined;
    const path = pagePath(ctx, '/console', data.back);
    ctx.status = status;
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = views.render(template, {
      ...data, area: CONSOLE_AREA, t, lang, dir: direction(lang), nav, user: state?.session.user, csrf: state?.session.csrfToken, format,
      can: (action: ConsoleAction) => (role ? consoleCan(role, action) : false),
      suspended: false,
      once: (action: string) => (state ? formToken(state.session.csrfToken, action, clock.now()) : ''),
      postedOnce: ctx.state.actionToken?.token ?? '',
      languages: LANGS.map((code) => ({ code, name: LANG_NAMES[code], href: `${path}?lang=${code}`, current: code === lang })),
    });
  };
}
