import type { PayDeps } from '../shared/deps.js';
import type { Knex } from '../../postgres/db.js';
import * as payments from '../../store/payments.js';
import { findShop } from '../../store/shops.js';
import { postTransfer } from '../../ledger/transfer.js';
import { placeHold } from '../../ledger/holds.js';
import { AppError, isAppError } from '../../domain/errors.js';
import { secondsAfter } from '../../domain/time.js';
import { transferKeys } from '../../domain/transfer-keys.js';
import type { HoldId } from '../../domain/ids.js';
import { simulatedFailure, type FailureReason, type Payment } from '../../domain/payment.js';
import { enqueuePaymentEvent, enqueueResult } from '../messages/enqueue.js';
import { enqueueReceipt } from '../messages/enqueue-receipt.js';
import { outboxTime } from '../../notify/outbox.js';
import { secretKeyOf } from '../../notify/keyring.js';
import { legsWithFee } from '../../ledger/fees.js';
import { saleEntry } from '../../domain/balance.js';
import { chargeFor } from '../../domain/fee.js';
import { endPayment } from './end-payment.js';
import { payerWallet } from './payer-wallet.js';
import type { Notification } from '../../domain/notification.js';

export type Approval = 'code' | 'passkey';
export type Outcome = { payment: Payment; error?: AppError; notifications: Notification[] };

/**
 * What follows "the buyer approved" — a right code or a passkey assertion for this payment: debit the wallet of
 * the phone and credit the merchant (a ledger transfer keyed by the payment, so it can never happen twice), mark it
 * succeeded (or authorized, for manual capture), and write the Result, webhooks and receipt, in the caller's
 * transaction that holds the payment.
 */
export async function payApproved(deps: PayDeps, trx: Knex.Transaction, payment: Payment, phone: string, now: Date, via: Approval): Promise<Outcome> {
  if (payment.mode === 'test' && simulatedFailure(payment.simMode, deps.random)) {
    return fail(deps, trx, payment, 'simulated', new AppError('invalid_state', 'The payment failed (LMI_SIM_MODE)', { payment_status: 'failed', failure_reason: 'simulated' }));
  }
  // a frozen wallet throws: the whole confirm is undone, the code stays live, the payment open (docs/buyer-guide.md#freeze-i-lost-my-phone)
  const wallet = await payerWallet(trx, phone, payment.currency, payment.mode);
  if (!wallet) return fail(deps, trx, payment, 'no_wallet', new AppError('no_wallet', 'No wallet is linked to this phone any more'));

  const merchant = (await findShop(trx, payment.shopId))!;
  // the fee is charged when the money reaches the merchant: now, or at capture for manual capture
  const charge = payment.captureMode === 'manual' ? { fee: 0n, feeRefund: null } : chargeFor(merchant, deps.config.defaultFee, payment.amount);
  const moved = await moveMoney(deps, trx, payment, wallet.purse, charge.fee, now);
  if (moved === 'insufficient_funds') {
    return fail(deps, trx, payment, 'insufficient_funds', new AppError('insufficient_funds', 'The wallet linked to this phone does not hold enough money'));
  }
  const paid = await payments.updatePayment(trx, payment.id, {
    phone: phone,
    payerPurse: wallet.purse,
    payerWm: wallet.holderId,
    updatedAt: now,
    ...(moved.kind === 'transfer'
      ? { status: 'succeeded', transferId: moved.transferId, transDate: now, amountCaptured: payment.amount, paidAt: now, fee: charge.fee, feeRefund: charge.feeRefund ?? undefined }
      : { status: 'authorized', holdId: moved.holdId }),
  });
  const when = outboxTime(deps.config, now);
  const notifications =
    paid.status === 'succeeded'
      ? [...(await enqueueResult(trx, paid, merchant, secretKeyOf(deps.config, merchant), when)), ...(await enqueuePaymentEvent(trx, paid, merchant, 'payment.succeeded', deps.config.publicUrl, when)),
        ...(await enqueueReceipt(deps, trx, { payment: paid, shop: merchant }))]
      : await enqueuePaymentEvent(trx, paid, merchant, 'payment.authorized', deps.config.publicUrl, when);
  deps.observer?.paymentApproved?.(via);
  return { payment: paid, notifications };
}

type Moved = { kind: 'transfer'; transferId: bigint } | { kind: 'hold'; holdId: HoldId } | 'insufficient_funds';

/** The ledger checks before it writes, so a refused debit leaves this transaction usable for recording the failure. */
async function moveMoney(deps: PayDeps, trx: Knex.Transaction, payment: Payment, payerPurse: string, fee: bigint, now: Date): Promise<Moved> {
  try {
    if (payment.captureMode === 'manual') {
      const { hold } = await placeHold(trx, {
        key: transferKeys.hold(payment.id), purse: payerPurse, amount: payment.amount, currency: payment.currency, mode: payment.mode,
        at: now, expiresAt: secondsAfter(now, deps.config.holdTtlSeconds),
      });
      return { kind: 'hold', holdId: hold.id };
    }
    const { transfer } = await postTransfer(trx, {
      key: transferKeys.payment(payment.id), kind: 'payment', currency: payment.currency, mode: payment.mode,
      legs: legsWithFee({ currency: payment.currency, mode: payment.mode, paymentId: payment.id }, payerPurse, payment.payeePurse, payment.amount, fee),
      at: now, metadata: { payment: payment.id },
      entries: [saleEntry(payment.payeePurse, { amount: payment.amount, fee, paymentId: payment.id, paidAt: now })],
    });
    return { kind: 'transfer', transferId: transfer.id };
  } catch (err) {
    if (isAppError(err) && err.code === 'insufficient_funds') return 'insufficient_funds';
    throw err;
  }
}

export async function fail(deps: PayDeps, trx: Knex.Transaction, payment: Payment, reason: FailureReason, error: AppError): Promise<Outcome> {
  const { payment: ended, notifications } = await endPayment(deps, trx, payment, { status: 'failed', reason });
  return { payment: ended, notifications, error };
}
