import type { PaymentId, MerchantId } from '../../domain/ids.js';
import type { Mode } from '../../domain/ledger.js';
import { afterCommit } from '../shared/after-commit.js';
import type { ActionNote } from '../shared/action-note.js';
import type { PayDeps, Deps } from '../shared/deps.js';
import { lockOwnedPayment } from './owned-payment.js';
import { inTransaction, type Knex } from '../../postgres/db.js';
import * as payments from '../../store/payments.js';
import { findShop } from '../../store/shops.js';
import { releaseHold } from '../../ledger/holds.js';
import { assertCanDo, assertCanMove, type Payment } from '../../domain/payment.js';
import { enqueuePaymentEvent } from '../messages/enqueue.js';
import { outboxTime } from '../../notify/outbox.js';
import { drainDue } from '../messages/drain-due.js';

/**
 * Releases the hold of a locked, authorized payment and ends it as `voided`, announced as
 * `payment.failed` (there is no voided event; the data's status says voided).
 */
export async function voidLocked(deps: Pick<Deps, 'clock' | 'config'>, trx: Knex.Transaction, payment: Payment) {
  assertCanMove(payment.status, 'voided', 'void');
  const now = deps.clock.now();
  await releaseHold(trx, { holdId: payment.holdId!, at: now });
  const voided = await payments.updatePayment(trx, payment.id, { status: 'voided', closedAt: now, updatedAt: now });
  const merchant = (await findShop(trx, payment.shopId))!;
  const notifications = await enqueuePaymentEvent(trx, voided, merchant, 'payment.failed', deps.config.publicUrl, outboxTime(deps.config, now));
  return { payment: voided, notifications };
}

/** The merchant gives the reserved money back to the buyer. */
export async function voidPayment(deps: PayDeps, input: { paymentId: PaymentId; merchantId: MerchantId; mode?: Mode }, note?: ActionNote<Payment>): Promise<Payment> {
  const outcome = await inTransaction(deps.db, async (trx) => {
    const payment = await lockOwnedPayment(trx, input.paymentId, input.merchantId, input.mode);
    // a void repeated because its answer was lost answers the voided payment
    if (payment.status === 'voided') return { payment, notifications: [] };
    assertCanDo('void', payment.status);
    const voided = await voidLocked(deps, trx, payment);
    await note?.(trx, voided.payment);
    return voided;
  });
  return afterCommit(deps, outcome).payment;
}

/** The hold-expiry job: voids authorizations whose hold ran out (HOLD_TTL_SECONDS, 7 days by default). */
export function voidExpiredAuthorizations(deps: PayDeps): Promise<number> {
  return drainDue(deps, payments.claimExpiredAuthorizations, (trx, payment) => voidLocked(deps, trx, payment));
}
