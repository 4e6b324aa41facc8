import { createHash, createHmac } from 'node:crypto';
import { formatAmount, type Minor } from './money.js';
import type { PaymentId } from './ids.js';
import { translator, type Lang } from '../i18n/index.js';

/** docs/buyer-guide.md#receipts: how the buyer gets the receipt of a payment and of each refund (a shop setting). */
export const RECEIPT_CHANNELS = ['sms', 'whatsapp', 'none'] as const;
export type ReceiptChannel = (typeof RECEIPT_CHANNELS)[number];

/** 128 bits as base64url: 22 characters. */
export const RECEIPT_TOKEN_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/** What stored texts carry instead of the token; the outbox puts the token back at send time. */
export const RECEIPT_TOKEN_MASK = '••••••';

/**
 * A payment's receipt token: an HMAC of the payment id under a service secret, so it is never stored
 * yet can be made again (the outbox at send time, the buyer's /me page) by whoever holds the secret.
 */
export function receiptToken(secret: string, paymentId: PaymentId): string {
  return createHmac('sha256', secret).update(`telepurse-receipt:${paymentId}`, 'utf8').digest().subarray(0, 16).toString('base64url');
}

/** The only form of the token the database keeps: enough to find the payment, useless to open the page. */
export function receiptTokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function receiptUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/$/, '')}/r/${token}`;
}

/** Puts the token back into a text written with the mask (SMS, e-mail). */
export function revealReceiptLink(text: string, token: string): string {
  return text.split(`/r/${RECEIPT_TOKEN_MASK}`).join(`/r/${token}`);
}

/** The last two digits only, as every receipt shows the phone. */
export function phoneTail(phone: string | null): string {
  if (!phone) return '';
  const digits = phone.replace(/\D/g, '');
  return `${'•'.repeat(Math.max(0, digits.length - 2))}${digits.slice(-2)}`;
}

export type ReceiptFacts = { amount: Minor; currency: string; shopName: string; url: string; lang: Lang; refund: boolean };

/** The short receipt message: the amount, the shop and the link (docs/buyer-guide.md#receipts). */
export function receiptSmsText(f: ReceiptFacts): string {
  const t = translator(f.lang);
  return t(f.refund ? 'receipt.sms.refund' : 'receipt.sms.paid', { amount: formatAmount(f.amount), currency: f.currency, merchant: f.shopName, url: f.url });
}
