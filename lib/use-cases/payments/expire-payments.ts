import type { Deps, PayDeps } from '../shared/deps.js';
import type { Knex } from '../../postgres/db.js';
import * as payments from '../../store/payments.js';
import { abandonedEnding, isPastDeadline, type Payment } from '../../domain/payment.js';
import { endPayment } from './end-payment.js';
import { drainDue } from '../messages/drain-due.js';

/** Expires a locked payment when its deadline passed (met on the way by another use-case); true when it did. */
export async function expireOpenPayment(deps: Pick<Deps, 'clock' | 'config'>, trx: Knex.Transaction, locked: Payment): Promise<boolean> {
  if (!isPastDeadline(locked, deps.clock.now())) return false;
  await endPayment(deps, trx, locked, abandonedEnding(locked, 'expire'), 'sweeper');
  return true;
}

/** The expiry job: any number of instances can run it at once. */
export function expireDuePayments(deps: PayDeps): Promise<number> {
  return drainDue(deps, payments.claimExpiredPayments, (trx, payment) => endPayment(deps, trx, payment, abandonedEnding(payment, 'expire')));
}
