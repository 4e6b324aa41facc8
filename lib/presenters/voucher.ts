import { formatAmount } from '../domain/money.js';
import type { Voucher } from '../domain/voucher.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A voucher as the operator lists it: never its code (only its hash is kept). */
export function voucherJson(v: Voucher) {
  return {
    id: v.id,
    object: 'voucher' as const,
    batch_id: v.batchId,
    status: v.status,
    amount: formatAmount(v.amount),
    currency: v.currency,
    mode: v.mode,
    expires_at: iso(v.expiresAt),
    created_at: v.createdAt.toISOString(),
    ended_at: iso(v.endedAt),
    redeemed_purse: v.redeemedPurse,
  };
}

/** One voucher of a new batch: the only answer that carries its code (a replay nulls it). */
export function issuedVoucherJson(v: Voucher, code: string | null) {
  return { id: v.id, code, amount: formatAmount(v.amount), currency: v.currency, expires_at: iso(v.expiresAt) };
}
