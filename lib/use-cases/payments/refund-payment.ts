import { afterCommit } from '../shared/after-commit.js';
import type { Mode } from '../../domain/ledger.js';
import type { PayDeps } from '../shared/deps.js';
import { lockOwnedPayment } from './owned-payment.js';
import { inTransaction } from '../../postgres/db.js';
import * as payments from '../../store/payments.js';
import * as refunds from '../../store/refunds.js';
import { findWalletByPhone } from '../../store/wallets.js';
import { findShop } from '../../store/shops.js';
import { transferKeys } from '../../domain/transfer-keys.js';
import { feeReturnOf } from '../../domain/fee.js';
import { refundLegs } from '../../ledger/fees.js';
import { refundEntries } from '../../domain/balance.js';
import { postTransfer } from '../../ledger/transfer.js';
import { AppError } from '../../domain/errors.js';
import { newId, type PaymentId, type MerchantId } from '../../domain/ids.js';
import { refundAmount, type Refund } from '../../domain/refund.js';
import type { Minor } from '../../domain/money.js';
import type { Phone } from '../../domain/phone.js';
import { enqueueRefundEvent } from '../messages/enqueue.js';
import { enqueueReceipt } from '../messages/enqueue-receipt.js';
import { outboxTime } from '../../notify/outbox.js';
import type { ActionNote } from '../shared/action-note.js';

export type RefundInput = {
  paymentId: PaymentId;
  /** The merchant acting (API key, office user: refused while suspended); none is the operator (admin API, CLI), who refunds any payment. */
  merchantId?: MerchantId;
  /** The API key's mode: a payment of the other mode is not found. */
  mode?: Mode;
  amount?: Minor;
  phone?: Phone;
  createKey?: string;
};

/**
 * Refunds to a phone in one transaction: lock the payment, check what is left of it, move the
 * money merchant → wallet of the phone through a keyed ledger transfer, record the refund and
 * `amount_refunded`, and queue `refund.succeeded` and the refund's receipt to the refunded phone.
 */
export async function refundPayment(deps: PayDeps, input: RefundInput, note?: ActionNote<Refund>): Promise<{ refund: Refund; replayed: boolean }> {
  const outcome = await inTransaction(deps.db, async (trx) => {
    const payment = await lockOwnedPayment(trx, input.paymentId, input.merchantId, input.mode);
    if (input.createKey) {
      const earlier = await refunds.findRefundByKey(trx, payment.id, input.createKey);
      if (earlier) return { refund: earlier, replayed: true, notifications: [] };
    }
    const now = deps.clock.now();
    const amount = refundAmount(payment, input.amount, now, deps.config.refundWindowDays);
    const phone = input.phone ?? payment.phone;
    if (!phone) throw new AppError('invalid_request', 'The payment has no phone: say which phone to refund to');
    const wallet = await findWalletByPhone(trx, phone, payment.currency, payment.mode);
    if (!wallet) throw new AppError('no_wallet', `No ${payment.currency} wallet is linked to this phone`);

    const id = newId('rfd');
    // docs/merchant-guide.md#fees: under the `return` policy the refund's share of the fee comes back to the merchant, in the same transfer
    const feeReturn = feeReturnOf(payment, amount);
    const { transfer } = await postTransfer(trx, {
      key: transferKeys.refund(payment.id, input.createKey ?? id),
      kind: 'refund',
      currency: payment.currency,
      mode: payment.mode,
      legs: await refundLegs(trx, { chargeTransferId: payment.transferId }, payment.payeePurse, wallet.purse, amount, feeReturn),
      at: now,
      metadata: { payment: payment.id, refund: id },
      entries: refundEntries(payment.payeePurse, { amount, feeReturn, refundId: id, paidAt: payment.paidAt ?? now, at: now }),
    }).catch((err) => {
      if (err instanceof AppError && err.code === 'insufficient_funds') {
        throw new AppError('insufficient_funds', "The merchant's wallet does not hold enough money for this refund");
      }
      throw err;
    });
    const refund = await refunds.insertRefund(trx, {
      id, paymentId: payment.id, merchantId: payment.merchantId, amount, currency: payment.currency, phone, purse: wallet.purse,
      transferId: transfer.id, createKey: input.createKey ?? null, createdAt: now,
    });
    await payments.updatePayment(trx, payment.id, { amountRefunded: payment.amountRefunded + amount, feeReturned: payment.feeReturned + feeReturn, updatedAt: now });
    await note?.(trx, refund);

    const merchant = (await findShop(trx, payment.shopId))!;
    const notifications = [
      ...(await enqueueRefundEvent(trx, refund, merchant, deps.config.publicUrl, outboxTime(deps.config, now))),
      // docs/buyer-guide.md#receipts: the buyer's notice that money came back is the refund's receipt
      ...(await enqueueReceipt(deps, trx, { payment, shop: merchant, refund })),
    ];
    return { refund, replayed: false, notifications };
  });
  const { refund, replayed } = afterCommit(deps, outcome);
  if (!replayed) deps.observer?.refunded(refund.currency, refund.amount);
  return { refund, replayed };
}
