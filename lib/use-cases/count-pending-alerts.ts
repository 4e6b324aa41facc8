import type { Deps } from './deps.js';
import { countPendingAlerts as count } from '../store/notifications.js';

/** Alerts still waiting in the outbox, per channel (for /metrics). */
export function countPendingAlerts(deps: Pick<Deps, 'db'>) {
  return count(deps.db);
}
