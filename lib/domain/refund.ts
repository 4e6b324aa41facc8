import { AppError } from './errors.js';
import { type Minor, formatAmount } from './money.js';
import { assertCanDo, canDo, type PaymentStatus } from './payment.js';
import { DAY_MS } from './time.js';
import type { Currency } from './currency.js';
import type { MerchantId, PaymentId, RefundId } from './ids.js';

export type Refundable = { status: PaymentStatus; amountCaptured: Minor; amountRefunded: Minor; paidAt: Date | null; currency: string };

/** Refunds are taken for REFUND_WINDOW_DAYS after the payment was paid. */
export function refundWindowOpen(p: Pick<Refundable, 'paidAt'>, now: Date, windowDays: number): boolean {
  return !p.paidAt || now.getTime() <= p.paidAt.getTime() + windowDays * DAY_MS;
}

/** What can still be refunded now: nothing unless the payment is refundable and its window open, else what was captured and not refunded. */
export function refundableLeft(p: Pick<Refundable, 'status' | 'amountCaptured' | 'amountRefunded' | 'paidAt'>, now: Date, windowDays: number): Minor {
  if (!canDo('refund', p.status) || !refundWindowOpen(p, now, windowDays)) return 0n;
  return p.amountCaptured - p.amountRefunded;
}

/**
 * The refund rules, in one place: only succeeded (captured) payments, within the refund window,
 * never more than what was captured and not yet refunded. Returns the amount to refund (the rest,
 * when none is asked).
 */
export function refundAmount(p: Refundable, asked: Minor | undefined, now: Date, windowDays: number): Minor {
  assertCanDo('refund', p.status);
  if (!refundWindowOpen(p, now, windowDays)) {
    throw new AppError('refund_window_closed', `Payments can be refunded for ${windowDays} days after they were paid`);
  }
  const left = refundableLeft(p, now, windowDays);
  if (left <= 0n) throw new AppError('refund_exceeds_payment', 'The payment is already refunded in full', { refundable: formatAmount(0n) });
  const amount = asked ?? left;
  if (amount > left) {
    throw new AppError('refund_exceeds_payment', `At most ${formatAmount(left)} ${p.currency} can still be refunded`, { refundable: formatAmount(left) });
  }
  return amount;
}

/** A refund made (lib/store/refunds.ts); a payment may have several. */
export type Refund = {
  id: RefundId;
  paymentId: PaymentId;
  merchantId: MerchantId;
  amount: Minor;
  currency: Currency;
  phone: string;
  purse: string;
  transferId: bigint;
  createKey: string | null;
  createdAt: Date;
};
