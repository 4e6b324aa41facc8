import { AppError } from './errors.js';
import type { Minor } from './money.js';
import { formatAmount } from './money.js';
import { assertCanDo, type PaymentStatus } from './payment.js';
import { DAY_MS } from './time.js';

export type Refundable = { status: PaymentStatus; amountCaptured: Minor; amountRefunded: Minor; paidAt: Date | null; currency: string };

/**
 * The refund rules, in one place: only succeeded (captured) payments, within the refund window,
 * never more than what was captured and not yet refunded. Returns the amount to refund (the rest,
 * when none is asked).
 */
export function refundAmount(p: Refundable, asked: Minor | undefined, now: Date, windowDays: number): Minor {
  assertCanDo('refund', p.status);
  if (p.paidAt && now.getTime() > p.paidAt.getTime() + windowDays * DAY_MS) {
    throw new AppError('refund_window_closed', `Payments can be refunded for ${windowDays} days after they were paid`);
  }
  const left = p.amountCaptured - p.amountRefunded;
  if (left <= 0n) throw new AppError('refund_exceeds_payment', 'The payment is already refunded in full', { refundable: formatAmount(0n) });
  const amount = asked ?? left;
  if (amount > left) {
    throw new AppError('refund_exceeds_payment', `At most ${formatAmount(left)} ${p.currency} can still be refunded`, { refundable: formatAmount(left) });
  }
  return amount;
}
