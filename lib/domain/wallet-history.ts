import type { Minor } from './money.js';

/** The kinds of a row of the buyer's history at /me (docs/buyer-guide.md#me--the-buyers-wallet-page). */
export const ENTRY_TYPES = ['payment', 'refund', 'topup', 'voucher', 'hold', 'hold_released'] as const;
export type EntryType = (typeof ENTRY_TYPES)[number];

/** One posting or hold of a buyer's wallet (lib/store/buyer-wallets.ts); `amount` is signed: what it did to the wallet. */
export type HistoryRow = { id: string; purse: string; kind: string; amount: Minor; at: Date; paymentId: string | null };

/** A ledger transfer's kind as the buyer reads it: a capture is the payment it completes. */
export function entryTypeOf(kind: string): EntryType | string {
  return kind === 'capture' ? 'payment' : kind;
}

/** Rows that name a payment link to its receipt: the payment's, which also lists its refunds. */
export function hasReceipt(type: EntryType | string): boolean {
  return type === 'payment' || type === 'refund';
}
