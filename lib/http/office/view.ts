import type { Eta } from 'eta';
import { keepMode, modeSwitch } from './test-mode.js';
import type { MessageKey } from '../../i18n/index.js';
import { can, type OfficeAction } from '../../domain/office.js';
import type { Clock } from '../../clock.js';
import type { OfficeState } from './state.js';
import { areaView, type AreaView } from '../shared/area-view.js';

// the language rule and template helpers are the console's too: they live in http/shared; the office's imports stay as they were
export { areaLang as officeLang, format } from '../shared/area-view.js';

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

export type OfficeView = AreaView;

/** Renders an office page in the layout, with the user's navigation (only what the role may use) and CSRF token. */
export function officeView(views: Eta, clock: Clock): OfficeView {
  return areaView<OfficeState, OfficeAction>(views, clock, {
    area: OFFICE_AREA,
    stateOf: (ctx) => ctx.state.office,
    nav: NAV,
    roleCan: can,
    // a suspended merchant's office reads only: its action forms are not shown (docs/merchant-guide.md#back-office)
    can: (office, action) => can(office.session.user.role, action) && (!office.suspended || READ_ONLY.has(action)),
    suspended: (office) => office.suspended,
    // docs/merchant-guide.md#test-mode: links stay in test mode, and the layout has the test banner and the live/test switch
    link: keepMode,
    extras: (ctx, path) => ({ testMode: modeSwitch(ctx, path), keepMode: (href: string) => keepMode(ctx, href) }),
  });
}
