import type { Eta } from 'eta';
import type { AppContext } from './context.js';
import type { AreaView } from './sign-in-routes.js';
import { pagePath } from './page-address.js';
import { formToken } from './action-tokens.js';
import { LANG_COOKIE, LANGS, LANG_NAMES, direction, isLang, pickLang, translator, type Lang, type MessageKey } from '../../i18n/index.js';
import { AMOUNT, formatAmount, isolatedMoneyText } from '../../domain/money.js';
import { e164 } from '../../domain/phone.js';
import { DAY_MS } from '../../domain/time.js';
import type { Clock } from '../../clock.js';

export type { AreaView };

/** What the shared layout and sign-in pages say and link to in one area: its home and its message keys. */
export type Area = { base: string; title: string; totpNeeded: string; totpRequired: string; role: string };

/** A navigation entry, shown to the roles that may use its page. */
export type NavItem<A extends string> = { href: string; key: MessageKey; needs: A };

/** What the layout reads of an area's signed-in state (its guard keeps the rest). */
export type SignedInPage = { session: { user: { role: string }; secondFactorDue: boolean; csrfToken: string }; lang: Lang };

/** What differs between the office's pages and the console's. */
export type AreaPages<S extends SignedInPage, A extends string> = {
  area: Area;
  /** The signed-in state the area's guard set (undefined before sign-in). */
  stateOf: (ctx: AppContext) => S | undefined;
  nav: readonly NavItem<A>[];
  /** The role's own permissions: which navigation entries show. */
  roleCan: (role: S['session']['user']['role'], action: A) => boolean;
  /** The forms a page shows (`can(action)` in templates): the role's permissions and the area's own rules. */
  can: (state: S, action: A) => boolean;
  suspended?: (state: S) => boolean;
  /** An area link as pages write it (the office keeps its test mode); as it is otherwise. */
  link?: (ctx: AppContext, href: string) => string;
  /** The area's own layout fields, given the page's GET address. */
  extras?: (ctx: AppContext, path: string) => Record<string, unknown>;
};

/** ?lang= (remembered in the cookie), then the cookie, then Accept-Language. */
export function areaLang(ctx: AppContext): Lang {
  const chosen = isLang(ctx.query.lang) ? ctx.query.lang : undefined;
  if (chosen) ctx.cookies.set(LANG_COOKIE, chosen, { httpOnly: true, sameSite: 'lax', maxAge: 365 * DAY_MS, overwrite: true });
  return pickLang([chosen, ctx.cookies.get(LANG_COOKIE)], ctx.get('Accept-Language'));
}

/** Helpers every office and console template gets. */
export const format = {
  money: isolatedMoneyText,
  amount: formatAmount,
  // the browser checks an amount with the server's grammar
  amountPattern: AMOUNT.source,
  phone: (phone: string | null) => (phone ? e164(phone) : ''),
  // times are written in UTC and say so; office.js shows the browser's local time with this text on hover
  time: (d: Date | null) => (d ? `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC` : ''),
  iso: (d: Date | null) => (d ? d.toISOString() : ''),
};

const asItIs = (_ctx: AppContext, href: string) => href;

/**
 * Renders a page of a signed-in area in the shared layout: the navigation the role may use, `can(action)` for the forms a
 * page shows, the CSRF token and each action form's one-time token (`once(path)`), and the language links.
 */
export function areaView<S extends SignedInPage, A extends string>(views: Eta, clock: Clock, pages: AreaPages<S, A>): AreaView {
  const link = pages.link ?? asItIs;
  return (ctx, template, data, status = 200) => {
    const state = pages.stateOf(ctx);
    const lang = state?.lang ?? areaLang(ctx);
    const t = translator(lang);
    const seen = new Set<string>();
    // a page listed twice (the console's cashier's desk and everyone's wallets) shows once
    const nav = state && !state.session.secondFactorDue
      ? pages.nav.filter((n) => pages.roleCan(state.session.user.role, n.needs) && !seen.has(n.href) && seen.add(n.href))
        .map((n) => ({ href: link(ctx, n.href), label: t(n.key), current: ctx.path === n.href }))
      : undefined;
    const path = pagePath(ctx, pages.area.base, data.back);
    ctx.status = status;
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = views.render(template, {
      ...data, area: pages.area, t, lang, dir: direction(lang), nav, user: state?.session.user, csrf: state?.session.csrfToken, format,
      can: (action: A) => (state ? pages.can(state, action) : false),
      suspended: state && pages.suspended ? pages.suspended(state) : false,
      ...pages.extras?.(ctx, path),
      // each action form's one-time token; a confirmation page carries on the token of the form it confirms
      once: (action: string) => (state ? formToken(state.session.csrfToken, action, clock.now()) : ''),
      postedOnce: ctx.state.actionToken?.token ?? '',
      languages: LANGS.map((code) => ({ code, name: LANG_NAMES[code], href: link(ctx, `${path}?lang=${code}`), current: code === lang })),
    });
  };
}
