import type { Deps } from './deps.js';
import { inTransaction, type Knex } from '../store/db.js';
import * as payments from '../store/payments.js';
import { isPastDeadline } from '../domain/payment.js';
import { endPayment } from './end-payment.js';

/** Expires a locked payment when its deadline passed; true when it did. */
export async function expireOpenPayment(deps: Pick<Deps, 'clock' | 'config'>, trx: Knex.Transaction, locked: payments.PaymentRow): Promise<boolean> {
  if (!isPastDeadline(locked, deps.clock.now())) return false;
  await endPayment(deps, trx, locked, { status: 'expired' });
  return true;
}

/** The expiry job: claims due payments with SKIP LOCKED, so any number of instances can run it at once. */
export async function expireDuePayments(deps: Deps, batch = 100): Promise<number> {
  let total = 0;
  for (;;) {
    const count = await inTransaction(deps.db, async (trx) => {
      const due = await payments.claimExpiredPayments(trx, deps.clock.now(), batch);
      for (const payment of due) await endPayment(deps, trx, payment, { status: 'expired' });
      return due.length;
    });
    total += count;
    if (count < batch) return total;
  }
}
