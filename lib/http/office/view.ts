import type { Eta } from 'eta';
import { keepMode, modeSwitch } from './test-mode.js';
import { pagePath } from '../shared/page-address.js';
import type { AppContext } from '../shared/context.js';
import { LANG_COOKIE, LANGS, LANG_NAMES, direction, isLang, pickLang, translator, type Lang, type MessageKey } from '../../i18n/index.js';
import { can, type OfficeAction } from '../../domain/office.js';
import { AMOUNT, formatAmount, isolatedMoneyText } from '../../domain/money.js';
import { e164 } from '../../domain/phone.js';
import { DAY_MS } from '../../domain/time.js';
import type { Clock } from '../../clock.js';
import { formToken } from '../shared/action-tokens.js';

const NAV: { href: string; key: MessageKey; needs: OfficeAction }[] = [
  { href: '/office', key: 'office.nav.overview', needs: 'read' },
  { href: '/office/payments', key: 'office.nav.journal', needs: 'read' },
  { href: '/office/links/new', key: 'office.nav.links', needs: 'send_link' },
  { href: '/office/balance', key: 'office.nav.balance', needs: 'read' },
  { href: '/office/shops', key: 'office.nav.shops', needs: 'read' },
  { href: '/office/users', key: 'office.nav.users', needs: 'manage_users' },
  { href: '/office/audit', key: 'office.nav.audit', needs: 'read_audit' },
  { href: '/office/account', key: 'office.nav.account', needs: 'read' },
];

const READ_ONLY = new Set<OfficeAction>(['read', 'read_audit']);

/** What the shared layout and sign-in pages say and link to in the office (the console has its own). */
export const OFFICE_AREA = { base: '/office', title: 'office.title', totpNeeded: 'office.totp.needed', totpRequired: 'office.problem.totp_required', role: 'office.role.' };

/** ?lang= (remembered in the cookie), then the cookie, then Accept-Language. */
export function officeLang(ctx: AppContext): Lang {
  const chosen = isLang(ctx.query.lang) ? ctx.query.lang : undefined;
  if (chosen) ctx.cookies.set(LANG_COOKIE, chosen, { httpOnly: true, sameSite: 'lax', maxAge: 365 * DAY_MS, overwrite: true });
  return pickLang([chosen, ctx.cookies.get(LANG_COOKIE)], ctx.get('Accept-Language'));
}

/** Helpers every office template gets. */
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

export type OfficeView = (ctx: AppContext, template: string, data: Record<string, unknown>, status?: number) => void;

/** Renders an office page in the layout, with the user's navigation (only what the role may use) and CSRF token. */
export function officeView(views: Eta, clock: Clock): OfficeView {
  return (ctx, template, data, status = 200) => {
    const office = ctx.state.office;
    const lang = office?.lang ?? officeLang(ctx);
    const t = translator(lang);
    const role = office?.session.user.role;
    const nav = role && !office.session.secondFactorDue
      ? NAV.filter((n) => can(role, n.needs)).map((n) => ({ href: keepMode(ctx, n.href), label: t(n.key), current: ctx.path === n.href }))
      : undefined;
    const path = pagePath(ctx, '/office', data.back);
    ctx.status = status;
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = views.render(template, {
      ...data, area: OFFICE_AREA, t, lang, dir: direction(lang), nav, user: office?.session.user, csrf: office?.session.csrfToken, format,
      // a suspended merchant's office reads only: its action forms are not shown (docs/merchant-guide.md#back-office)
      can: (action: OfficeAction) => (role ? can(role, action) && (!office.suspended || READ_ONLY.has(action)) : false),
      suspended: office?.suspended ?? false,
      // docs/merchant-guide.md#test-mode: the test banner and the live/test switch
      testMode: modeSwitch(ctx, path),
      keepMode: (href: string) => keepMode(ctx, href),
      // each action form's one-time token; a confirmation page carries on the token of the form it confirms
      once: (action: string) => (office ? formToken(office.session.csrfToken, action, clock.now()) : ''),
      postedOnce: ctx.state.actionToken?.token ?? '',
      languages: LANGS.map((code) => ({ code, name: LANG_NAMES[code], href: keepMode(ctx, `${path}?lang=${code}`), current: code === lang })),
    });
  };
}
