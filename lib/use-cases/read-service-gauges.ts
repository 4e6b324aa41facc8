import type { Deps } from './deps.js';
import { countPendingAlerts, summarizeOutbox } from '../store/notifications.js';
import { countPaymentsByStatus } from '../store/payments.js';

/** The counts /metrics reads from the database when it is scraped. */
export function serviceGaugeReaders(deps: Pick<Deps, 'db' | 'clock'>) {
  return {
    payments: () => countPaymentsByStatus(deps.db),
    notifications: () => summarizeOutbox(deps.db, deps.clock.now()),
    pendingAlerts: () => countPendingAlerts(deps.db),
  };
}
