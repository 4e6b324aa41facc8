import { randomBytes, randomInt } from 'node:crypto';

type IdPrefix = 'pay' | 'rfd' | 'mch' | 'shp' | 'hld' | 'ntf' | 'key' | 'sms' | 'txn' | 'po' | 'usr' | 'vch' | 'vbt';

/** Typed ids: the compiler stops a refund id passed where a payment id belongs, and a bare string where either does. */
export type PaymentId = `pay_${string}`;
export type RefundId = `rfd_${string}`;
export type MerchantId = `mch_${string}`;
export type ShopId = `shp_${string}`;
export type HoldId = `hld_${string}`;
export type NotificationId = `ntf_${string}`;
export type ApiKeyId = `key_${string}`;
export type SmsId = `sms_${string}`;
export type BalanceTransactionId = `txn_${string}`;
export type PayoutId = `po_${string}`;
export type UserId = `usr_${string}`;

/** The one shape of a payment id (the JSON API's path, the hosted pages' path, the form). */
export const PAYMENT_ID_PATTERN = /^pay_[0-9a-z]{24}$/;
export const LINK_TOKEN_PATTERN = /^[0-9a-z]{10}$/;

export function isPaymentId(value: unknown): value is PaymentId {
  return typeof value === 'string' && PAYMENT_ID_PATTERN.test(value);
}

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower case

/** 120 random bits: unguessable, and readable in logs because of the prefix. */
export function newId<P extends IdPrefix>(prefix: P): `${P}_${string}` {
  const bytes = randomBytes(24);
  let out = '';
  for (const b of bytes) out += ALPHABET[b & 31];
  return `${prefix}_${out}`;
}

export function randomDigits(count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += String(randomInt(10));
  return out;
}

/** A pay link's token: short enough for an SMS, 50 random bits (the page still needs the SMS code to pay). */
export function newLinkToken(): string {
  let out = '';
  for (const b of randomBytes(10)) out += ALPHABET[b & 31];
  return out;
}
