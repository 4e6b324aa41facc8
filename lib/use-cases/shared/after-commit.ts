import type { PayDeps } from './deps.js';
import type { AppError } from '../../domain/errors.js';
import type { Notification } from '../../domain/notification.js';

export type Committed<T> = { notifications: Notification[]; error?: AppError } & T;

/**
 * After a transaction commits: its outbox rows get their first delivery attempt, then a refusal that
 * was committed with them (a wrong code counted, a payment failed) is reported. In that order, so an
 * announcement is never lost behind a thrown error.
 */
export function afterCommit<T>(deps: Pick<PayDeps, 'notifier'>, outcome: Committed<T>): Committed<T> {
  deps.notifier.kick(outcome.notifications);
  if (outcome.error) throw outcome.error;
  return outcome;
}
