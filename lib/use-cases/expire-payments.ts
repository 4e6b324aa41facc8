import type { Deps, PayDeps } from './deps.js';
import { inTransaction, type Knex } from '../store/db.js';
import * as payments from '../store/payments.js';
import { isPastDeadline } from '../domain/payment.js';
import { endPayment } from './end-payment.js';

/** Expires a locked payment when its deadline passed (met on the way by another use-case); true when it did. */
export async function expireOpenPayment(deps: Pick<Deps, 'clock' | 'config'>, trx: Knex.Transaction, locked: payments.PaymentRow): Promise<boolean> {
  if (!isPastDeadline(locked, deps.clock.now())) return false;
  await endPayment(deps, trx, locked, { status: 'expired' }, 'sweeper');
  return true;
}

/** The expiry job: claims due payments with SKIP LOCKED, so any number of instances can run it at once. */
export async function expireDuePayments(deps: PayDeps, batch = 100): Promise<number> {
  let total = 0;
  for (;;) {
    const ended = await inTransaction(deps.db, async (trx) => {
      const due = await payments.claimExpiredPayments(trx, deps.clock.now(), batch);
      const rows = [];
      for (const payment of due) rows.push(...(await endPayment(deps, trx, payment, { status: 'expired' })).notifications);
      return { count: due.length, rows };
    });
    deps.notifier.kick(ended.rows);
    total += ended.count;
    if (ended.count < batch) return total;
  }
}
