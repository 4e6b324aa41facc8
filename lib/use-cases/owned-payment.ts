import type { Db } from '../store/db.js';
import * as payments from '../store/payments.js';
import { AppError } from '../domain/errors.js';
import type { MerchantId, PaymentId } from '../domain/ids.js';

/**
 * The one guard for "this caller's payment": a merchant sees only its own (anything else is
 * `payment_not_found`, never a hint that it exists); the operator and the hosted pages pass no merchant.
 */
function owned(payment: payments.PaymentRow | undefined, paymentId: PaymentId, merchantId?: MerchantId): payments.PaymentRow {
  if (!payment || (merchantId !== undefined && payment.merchantId !== merchantId)) {
    throw new AppError('payment_not_found', `No payment ${paymentId.slice(0, 40)}`);
  }
  return payment;
}

export async function findOwnedPayment(db: Db, paymentId: PaymentId, merchantId?: MerchantId): Promise<payments.PaymentRow> {
  return owned(await payments.findPayment(db, paymentId), paymentId, merchantId);
}

/** The same guard, taking the payment row lock every use-case that changes a payment takes first. */
export async function lockOwnedPayment(db: Db, paymentId: PaymentId, merchantId?: MerchantId): Promise<payments.PaymentRow> {
  return owned(await payments.lockPayment(db, paymentId), paymentId, merchantId);
}
