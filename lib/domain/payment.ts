import { AppError } from './errors.js';

export const PAYMENT_STATUSES = ['created', 'code_sent', 'authorized', 'succeeded', 'voided', 'failed', 'expired'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const FAILURE_REASONS = ['insufficient_funds', 'too_many_attempts', 'no_wallet', 'declined_by_merchant', 'cancelled', 'simulated'] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

export type CaptureMode = 'automatic' | 'manual';

/** The allowed moves of a payment; everything else is refused with `invalid_state`. */
const TRANSITIONS: Record<PaymentStatus, readonly PaymentStatus[]> = {
  created: ['code_sent', 'failed', 'expired'],
  code_sent: ['code_sent', 'succeeded', 'authorized', 'failed', 'expired'],
  authorized: ['succeeded', 'voided'],
  succeeded: [],
  voided: [],
  failed: [],
  expired: [],
};

export function canMove(from: PaymentStatus, to: PaymentStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function assertCanMove(from: PaymentStatus, to: PaymentStatus, action: string): void {
  if (!canMove(from, to)) throw new AppError('invalid_state', `Cannot ${action} a payment that is ${from}`, { payment_status: from });
}

/** Still waiting for the buyer: the code can be sent, typed, or the payment cancelled. */
export function isOpen(status: PaymentStatus): boolean {
  return status === 'created' || status === 'code_sent';
}

/** Where the buyer's browser goes once the payment is over. */
export function outcomeOf(status: PaymentStatus): 'success' | 'fail' | undefined {
  if (status === 'succeeded' || status === 'authorized') return 'success';
  if (status === 'failed' || status === 'expired' || status === 'voided') return 'fail';
  return undefined;
}

/** An open payment past its deadline counts as expired even before the expiry job has marked it. */
export function isPastDeadline(p: { status: PaymentStatus; expiresAt: Date }, now: Date): boolean {
  return isOpen(p.status) && p.expiresAt.getTime() <= now.getTime();
}

/** LMI_SIM_MODE of test merchants: 0 all succeed, 1 all fail, 2 about 80 % succeed. */
export function simulatedFailure(simMode: number | null, random: () => number): boolean {
  if (simMode === 1) return true;
  if (simMode === 2) return random() >= 0.8;
  return false;
}

export type Ending = { status: 'failed'; reason: FailureReason } | { status: 'expired' };

/**
 * How an open payment ends when the buyer gives up or time runs out. A buyer whose last phone had
 * no wallet and who never got a code ends as `no_wallet`: that is what stopped the payment.
 */
export function abandonedEnding(p: { status: PaymentStatus; unknownPhone: string | null }, cause: 'cancel' | 'expire'): Ending {
  if (p.status === 'created' && p.unknownPhone) return { status: 'failed', reason: 'no_wallet' };
  return cause === 'cancel' ? { status: 'failed', reason: 'cancelled' } : { status: 'expired' };
}
