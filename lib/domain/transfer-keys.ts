import type { PaymentId } from './ids.js';

/**
 * The keys that make money movements idempotent: a retry with the same key moves nothing twice.
 * Written here once, so a payment's debit (or its capture) is always the same key.
 */
export const transferKeys = {
  /** The payment's money moving to the merchant: at confirm, or at capture for manual capture. */
  payment: (paymentId: PaymentId | string) => `payment:${paymentId}`,
  /** The authorization's hold on the buyer's wallet. */
  hold: (paymentId: PaymentId | string) => `payment:${paymentId}:hold`,
  /** A refund, keyed by the merchant's Idempotency-Key when it sent one, else by the refund's own id. */
  refund: (paymentId: PaymentId | string, key: string) => `refund:${paymentId}:${key}`,
  topUp: (purse: string, key: string) => `topup:${purse}:${key}`,
  /** A payout leaving the merchant wallet for the clearing wallet, then leaving the system or coming back. */
  payout: (payoutId: string) => `payout:${payoutId}`,
  payoutPaid: (payoutId: string) => `payout:${payoutId}:paid`,
  payoutFailed: (payoutId: string) => `payout:${payoutId}:failed`,
};
