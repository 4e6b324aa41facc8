import { AppError } from './errors.js';
import type { Currency } from './currency.js';
import type { HoldId, MerchantId, PaymentId, ShopId } from './ids.js';
import type { Mode } from './ledger.js';
import type { RedirectMethod } from './lmi.js';
import type { Minor } from './money.js';
import type { FeeRefund } from './fee.js';

export const PAYMENT_STATUSES = ['created', 'code_sent', 'authorized', 'succeeded', 'voided', 'failed', 'expired'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const FAILURE_REASONS = ['insufficient_funds', 'too_many_attempts', 'no_wallet', 'declined_by_merchant', 'cancelled', 'simulated'] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

export type CaptureMode = 'automatic' | 'manual';

/** The allowed moves of a payment; everything else is refused with `invalid_state`. */
const TRANSITIONS: Record<PaymentStatus, readonly PaymentStatus[]> = {
  // straight to paid: a passkey approves without a code (docs/buyer-guide.md#paying-with-a-passkey)
  created: ['code_sent', 'succeeded', 'authorized', 'failed', 'expired'],
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

/** What each action does to a payment, so that every status check goes through the table above. */
const ACTIONS = {
  'send a code for': 'code_sent',
  confirm: 'succeeded',
  cancel: 'failed',
  expire: 'expired',
  fail: 'failed',
  void: 'voided',
} as const satisfies Record<string, PaymentStatus>;

// actions whose allowed states are narrower than the move they make (a capture moves to succeeded, from authorized only)
const ONLY_FROM: Partial<Record<string, readonly PaymentStatus[]>> = {
  confirm: ['code_sent'],
  'approve with a passkey': ['created', 'code_sent'],
  capture: ['authorized'],
  'send a pay link for': ['created'],
  refund: ['succeeded'],
};

export type PaymentAction = keyof typeof ACTIONS | 'capture' | 'send a pay link for' | 'refund' | 'approve with a passkey';

/** Whether `action` is allowed on a payment in `status`: the one function every use-case asks. */
export function canDo(action: PaymentAction, status: PaymentStatus): boolean {
  const from = ONLY_FROM[action];
  if (from) return from.includes(status);
  return canMove(status, ACTIONS[action as keyof typeof ACTIONS]);
}

export function assertCanDo(action: PaymentAction, status: PaymentStatus): void {
  if (!canDo(action, status)) throw new AppError('invalid_state', `Cannot ${action} a payment that is ${status}`, { payment_status: status });
}

export function assertCanMove(from: PaymentStatus, to: PaymentStatus, action: string): void {
  if (!canMove(from, to)) throw new AppError('invalid_state', `Cannot ${action} a payment that is ${from}`, { payment_status: from });
}

/** Still waiting for the buyer: the code can be sent, typed, or the payment cancelled. */
export function isOpen(status: PaymentStatus): boolean {
  return status === 'created' || status === 'code_sent';
}

/** The buyer paid: the money moved (succeeded) or is held for the merchant's capture (authorized). */
export function isPaid(status: PaymentStatus): boolean {
  return status === 'succeeded' || status === 'authorized';
}

/** Where the buyer's browser goes once the payment is over. */
export function outcomeOf(status: PaymentStatus): 'success' | 'fail' | undefined {
  if (isPaid(status)) return 'success';
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

/**
 * The amount a Result notification reports (docs/merchant-guide.md#the-result-notification): what the buyer paid; for manual capture, what
 * was captured (which may be less than authorized).
 */
export function reportedAmount(p: { captureMode: CaptureMode; amount: bigint; amountCaptured: bigint }): bigint {
  return p.captureMode === 'manual' ? p.amountCaptured : p.amount;
}

/** A payment as the store reads it (lib/store/payments.ts maps its rows). */
export type Payment = {
  id: PaymentId;
  invoiceNo: bigint;
  merchantId: MerchantId;
  shopId: ShopId;
  payeePurse: string;
  currency: Currency;
  mode: Mode;
  amount: Minor;
  status: PaymentStatus;
  failureReason: FailureReason | null;
  paymentNo: bigint | null;
  description: string;
  source: 'form' | 'api';
  createKey: string | null;
  phone: string | null;
  payerPurse: string | null;
  payerWm: string | null;
  transferId: bigint | null;
  transDate: Date | null;
  holdId: HoldId | null;
  /** When the merchant's pre-request answered YES. */
  prerequestAt: Date | null;
  /** SHA-256 of the cookie of the browser that owns the hosted page's steps (docs/merchant-guide.md#the-form). */
  browserHash: string | null;
  /** The phone the merchant's pre-request approved: codes go only there. */
  prerequestPhone: string | null;
  /** The last phone typed that has no wallet: the payment stays open and, if abandoned, fails as no_wallet. */
  unknownPhone: string | null;
  /** The short token of the pay link sent by SMS, if any. */
  linkToken: string | null;
  captureMode: CaptureMode;
  amountCaptured: Minor;
  amountRefunded: Minor;
  /** Charged when the money reached the merchant (docs/merchant-guide.md#fees); the refund policy then in force applies to its refunds. */
  fee: Minor;
  feeReturned: Minor;
  feeRefund: FeeRefund | null;
  resultUrl: string | null;
  successUrl: string | null;
  failUrl: string | null;
  successMethod: RedirectMethod;
  failMethod: RedirectMethod;
  customFields: [string, string][];
  metadata: Record<string, string>;
  simMode: number | null;
  lang: string | null;
  /** Where the receipt goes by e-mail too (LMI_PAYMER_EMAIL, or the API's `email`; docs/buyer-guide.md#receipts). */
  buyerEmail: string | null;
  createdAt: Date;
  updatedAt: Date;
  expiresAt: Date;
  paidAt: Date | null;
  closedAt: Date | null;
};

/** The statuses `action` is allowed from, read off the same table as canDo: a money statement in SQL gets the list, not a copy of the rule. */
export function statusesThatCan(action: PaymentAction): PaymentStatus[] {
  return PAYMENT_STATUSES.filter((s) => canDo(action, s));
}

export const PAID_STATUSES = PAYMENT_STATUSES.filter(isPaid);
export const OPEN_STATUSES = PAYMENT_STATUSES.filter(isOpen);
