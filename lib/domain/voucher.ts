import { createHmac, randomBytes } from 'node:crypto';
import { purseLetter, type Currency } from './currency.js';
import type { Mode } from './ledger.js';
import type { Minor } from './money.js';
import { AppError } from './errors.js';

export type VoucherId = `vch_${string}`;
export type VoucherBatchId = `vbt_${string}`;
export const VOUCHER_STATUSES = ['active', 'redeemed', 'expired', 'void'] as const;
export type VoucherStatus = (typeof VOUCHER_STATUSES)[number];
export const VOUCHER_ID_PATTERN = /^vch_[0-9a-z]{24}$/;
export const VOUCHER_BATCH_PATTERN = /^vbt_[0-9a-z]{24}$/;
export const MAX_VOUCHERS_PER_BATCH = 10_000;

/** A voucher (lib/store/vouchers.ts); its code is never kept, only its keyed hash. */
export type Voucher = {
  id: VoucherId;
  batchId: VoucherBatchId;
  currency: Currency;
  mode: Mode;
  amount: Minor;
  status: VoucherStatus;
  expiresAt: Date | null;
  createdAt: Date;
  endedAt: Date | null;
  redeemedPurse: string | null;
};

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** 80 random bits as 16 Crockford base32 characters, written XXXX-XXXX-XXXX-XXXX. */
export function newVoucherCode(): string {
  const bytes = randomBytes(10);
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let out = '';
  for (let i = 15; i >= 0; i--) out += CROCKFORD[Number((bits >> BigInt(i * 5)) & 31n)];
  return out.match(/.{4}/g)!.join('-');
}

/**
 * The code as typed (any case, hyphens or spaces, Crockford's I/L for 1 and O for 0) in its one
 * form, or undefined when it cannot be a voucher code at all.
 */
export function normalizeVoucherCode(input: string): string | undefined {
  const plain = input.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  if (plain.length !== 16) return undefined;
  for (const c of plain) if (!CROCKFORD.includes(c)) return undefined;
  return plain;
}

/**
 * The hash kept in place of a code: HMAC-SHA256 under a key derived from CODE_SECRET, so a dump of the
 * database alone does not let anyone test guesses offline.
 */
export function voucherCodeHash(secret: string, normalized: string): string {
  const key = createHmac('sha256', secret).update('telepurse-voucher-code').digest();
  return createHmac('sha256', key).update(normalized).digest('hex');
}

/** The voucher float wallet of a currency and mode: the money of every active voucher. */
export function voucherFloatPurse(currency: Currency, mode: Mode): string {
  return `${purseLetter(currency)}00000000000${mode === 'live' ? '7' : '8'}`;
}

/** Whether a code's voucher may still be redeemed at `now`; the refusal names why. */
export function assertRedeemable(v: Pick<Voucher, 'status' | 'expiresAt'>, now: Date): void {
  if (v.status === 'redeemed') throw new AppError('voucher_redeemed', 'This voucher was already redeemed');
  if (v.status === 'expired' || (v.status === 'active' && v.expiresAt && v.expiresAt <= now)) throw new AppError('voucher_expired', 'This voucher has expired');
  if (v.status === 'void') throw new AppError('voucher_invalid', 'This voucher code is not valid');
}

/** A wallet that may receive a voucher: a frozen one may be in a finder's hands (docs/buyer-guide.md#vouchers). */
export function assertCanReceive(wallet: object): void {
  if ('status' in wallet && wallet.status === 'frozen') throw new AppError('wallet_frozen', 'This wallet is frozen: unfreeze it before redeeming a voucher');
}
