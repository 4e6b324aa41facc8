import type { MessageKey } from '../../i18n/index.js';
import type { ConsoleAction } from '../../domain/console.js';

/** The console's navigation, in order; each entry shows to the roles that may use its page (docs/operator-guide.md#operator-console). */
export const CONSOLE_NAV: { href: string; key: MessageKey; needs: ConsoleAction }[] = [
  { href: '/console', key: 'console.nav.overview', needs: 'read' },
  { href: '/console/payments', key: 'console.nav.payments', needs: 'read' },
  { href: '/console/merchants', key: 'console.nav.merchants', needs: 'read' },
  { href: '/console/wallets', key: 'console.nav.wallets', needs: 'read' },
  { href: '/console/wallets', key: 'console.nav.desk', needs: 'cash_in' },
  { href: '/console/payouts', key: 'console.nav.payouts', needs: 'read' },
  { href: '/console/notifications', key: 'console.nav.notifications', needs: 'read' },
  { href: '/console/vouchers', key: 'console.nav.vouchers', needs: 'read' },
  { href: '/console/limits', key: 'console.nav.limits', needs: 'read' },
  { href: '/console/audit', key: 'console.nav.audit', needs: 'read_audit' },
  { href: '/console/erase', key: 'console.nav.erase', needs: 'erase' },
  { href: '/console/operators', key: 'console.nav.operators', needs: 'manage_operators' },
];
