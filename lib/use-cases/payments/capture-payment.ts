import type { PaymentId, MerchantId } from '../../domain/ids.js';
import type { Mode } from '../../domain/ledger.js';
import { afterCommit } from '../shared/after-commit.js';
import type { ActionNote } from '../shared/action-note.js';
import type { PayDeps } from '../shared/deps.js';
import { lockOwnedPayment } from './owned-payment.js';
import { inTransaction } from '../../postgres/db.js';
import * as payments from '../../store/payments.js';
import { findShop } from '../../store/shops.js';
import { lockHold } from '../../store/holds.js';
import { captureHold } from '../../ledger/holds.js';
import { AppError } from '../../domain/errors.js';
import type { Minor } from '../../domain/money.js';
import { captureAmount } from '../../domain/capture.js';
import { assertCanDo, type Payment } from '../../domain/payment.js';
import { transferKeys } from '../../domain/transfer-keys.js';
import { enqueuePaymentEvent, enqueueResult } from '../messages/enqueue.js';
import { enqueueReceipt } from '../messages/enqueue-receipt.js';
import { outboxTime } from '../../notify/outbox.js';
import { secretKeyOf } from '../../notify/keyring.js';
import { chargeFor } from '../../domain/fee.js';
import { voidLocked } from './void-payment.js';

/**
 * Takes all or part of an authorized payment's hold, once: the amount moves buyer → merchant, the
 * rest is released, the payment is `succeeded` and the Result notification (with the captured
 * amount) and `payment.succeeded` are queued, in one transaction.
 */
export async function capturePayment(
  deps: PayDeps, input: { paymentId: PaymentId; merchantId: MerchantId; amount?: Minor; mode?: Mode }, note?: ActionNote<Payment>,
): Promise<Payment> {
  const outcome = await inTransaction(deps.db, async (trx) => {
    const payment = await lockOwnedPayment(trx, input.paymentId, input.merchantId, input.mode);
    // a capture repeated because its answer was lost (a killed process, a dropped connection) answers what it did
    if (payment.status === 'succeeded' && payment.captureMode === 'manual' && payment.amountCaptured === captureAmount(payment.amount, input.amount, payment.currency)) {
      return { payment, notifications: [], error: undefined };
    }
    assertCanDo('capture', payment.status);
    const now = deps.clock.now();
    const hold = (await lockHold(trx, payment.holdId!))!;
    if (hold.expiresAt.getTime() <= now.getTime()) {
      const voided = await voidLocked(deps, trx, payment);
      return { ...voided, error: new AppError('invalid_state', 'The authorization has expired and was voided', { payment_status: 'voided' }) };
    }
    const amount = captureAmount(payment.amount, input.amount, payment.currency);
    const merchant = (await findShop(trx, payment.shopId))!;
    // the fee is charged on what reaches the merchant, in the same transfer
    const charge = chargeFor(merchant, deps.config.defaultFee, amount);
    const { transfer } = await captureHold(trx, {
      holdId: hold.id, paymentId: payment.id, amount, fee: charge.fee, toPurse: payment.payeePurse, transferKey: transferKeys.payment(payment.id),
      currency: payment.currency, mode: payment.mode, at: now,
    });
    const captured = await payments.updatePayment(trx, payment.id, {
      status: 'succeeded', transferId: transfer.id, transDate: now, amountCaptured: amount, paidAt: now, updatedAt: now,
      fee: charge.fee, feeRefund: charge.feeRefund,
    });
    await note?.(trx, captured);
    const notifications = [
      ...(await enqueueResult(trx, captured, merchant, secretKeyOf(deps.config, merchant), outboxTime(deps.config, now))),
      ...(await enqueuePaymentEvent(trx, captured, merchant, 'payment.succeeded', deps.config.publicUrl, outboxTime(deps.config, now))),
      ...(await enqueueReceipt(deps, trx, { payment: captured, shop: merchant })),
    ];
    return { payment: captured, notifications, error: undefined };
  });
  return afterCommit(deps, outcome).payment;
}
