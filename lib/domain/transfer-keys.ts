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
  /** A cashier's cash-in (docs/operator-guide.md#vouchers-and-cash-in): a top-up, keyed by cashier and the desk's Idempotency-Key. */
  cashIn: (purse: string, cashierId: string, key: string) => `topup:${purse}:cashin:${cashierId}:${key}`,
  /** A voucher batch's money moving from issuance to the float; then each voucher leaves the float once: redeemed, voided or expired. */
  voucherBatch: (batchId: string) => `voucher-batch:${batchId}`,
  voucherRedeem: (voucherId: string) => `voucher:${voucherId}:redeem`,
  voucherEnd: (voucherId: string) => `voucher:${voucherId}:end`,
  /** A payout leaving the merchant wallet for the clearing wallet, then leaving the system or coming back. */
  payout: (payoutId: string) => `payout:${payoutId}`,
  payoutPaid: (payoutId: string) => `payout:${payoutId}:paid`,
  payoutFailed: (payoutId: string) => `payout:${payoutId}:failed`,
};
