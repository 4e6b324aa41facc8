import type { PaymentId } from '../../domain/ids.js';
import type { PayDeps } from '../shared/deps.js';
import * as payments from '../../store/payments.js';
import { currentCode } from '../../store/codes.js';
import { findShop } from '../../store/shops.js';
import { isPastDeadline, type Payment } from '../../domain/payment.js';
import { expirePaymentNow } from './expire-payment-now.js';
import type { PaymentCode } from '../../domain/code.js';
import type { Shop } from '../../domain/shop.js';

export async function findCheckout(deps: Pick<PayDeps, 'db'>, paymentId: PaymentId): Promise<Payment | undefined> {
  return payments.findPayment(deps.db, paymentId);
}

export async function findCheckoutByLink(deps: Pick<PayDeps, 'db'>, token: string): Promise<Payment | undefined> {
  return payments.findPaymentByLinkToken(deps.db, token);
}

export type CheckoutPage = { payment: Payment; merchant: Shop; code?: PaymentCode };

/** What the hosted page shows: the payment (expired now if its deadline passed), its shop, and the live code's times. */
export async function readCheckoutPage(deps: PayDeps, payment: Payment): Promise<CheckoutPage> {
  const current = isPastDeadline(payment, deps.clock.now()) ? await expirePaymentNow(deps, payment.id) : payment;
  const merchant = (await findShop(deps.db, current.shopId))!;
  const code = current.status === 'code_sent' ? await currentCode(deps.db, current.id) : undefined;
  return { payment: current, merchant, code };
}
