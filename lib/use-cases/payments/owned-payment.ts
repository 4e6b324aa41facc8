import type { Db } from '../../postgres/db.js';
import * as payments from '../../store/payments.js';
import { AppError } from '../../domain/errors.js';
import type { MerchantId, PaymentId } from '../../domain/ids.js';
import { refuseSuspended } from '../merchants/merchant-acts.js';
import type { Payment } from '../../domain/payment.js';
import type { Mode } from '../../domain/ledger.js';

/**
 * The one guard for "this caller's payment": a merchant sees only its own (anything else is
 * `payment_not_found`, never a hint that it exists); the operator and the hosted pages pass no merchant.
 */
function owned<P extends Payment>(payment: P | undefined, paymentId: PaymentId, merchantId?: MerchantId, mode?: Mode): P {
  // a test key's caller never sees a live payment, nor a live key's a test one (docs/merchant-guide.md#test-mode)
  if (!payment || (merchantId !== undefined && payment.merchantId !== merchantId) || (mode !== undefined && payment.mode !== mode)) {
    throw new AppError('payment_not_found', `No payment ${paymentId.slice(0, 40)}`);
  }
  return payment;
}

export async function findOwnedPayment(db: Db, paymentId: PaymentId, merchantId?: MerchantId, mode?: Mode): Promise<Payment> {
  return owned(await payments.findPayment(db, paymentId), paymentId, merchantId, mode);
}

/**
 * The same guard, taking the payment row lock every use-case that changes a payment takes first;
 * a merchant that changes its payment must not be suspended (the operator passes no merchant).
 */
export async function lockOwnedPayment(db: Db, paymentId: PaymentId, merchantId?: MerchantId, mode?: Mode): Promise<Payment> {
  if (merchantId === undefined) return owned(await payments.lockPayment(db, paymentId), paymentId);
  const { merchantStatus, ...payment } = owned(await payments.lockPaymentWithMerchantStatus(db, paymentId), paymentId, merchantId, mode);
  refuseSuspended({ status: merchantStatus });
  return payment;
}
