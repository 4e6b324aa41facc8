import type { SmsStatus } from './sms-message.js';

/** How a pay link reaches the buyer: sent by SMS or WhatsApp, or shared by the merchant from their own phone. */
export const LINK_CHANNELS = ['sms', 'whatsapp', 'share'] as const;
export type LinkChannel = (typeof LINK_CHANNELS)[number];

/**
 * WhatsApp Cloud API error codes worth trying again on the outbox schedule (docs/operator-guide.md#whatsapp-channel):
 * rate limits (130429, 131056), 131000 (something went wrong) and 131016 (service unavailable).
 */
const RETRYABLE_CODES = new Set([130429, 131056, 131000, 131016]);

/** Decided by the error's `code`, not by the HTTP status; a 5xx without a code is retried too. */
export function whatsappRetryable(code: number | null, httpStatus: number | null): boolean {
  if (code !== null && RETRYABLE_CODES.has(code)) return true;
  return code === null && (httpStatus === null || httpStatus >= 500);
}

const RANK: Partial<Record<SmsStatus, number>> = { queued: 0, unknown: 0, sent: 1, delivered: 2, read: 3 };

/** A status webhook never moves a message backwards (delivered after read stays read); `failed` only ends one not yet delivered. */
export function statusAfter(current: SmsStatus, incoming: 'sent' | 'delivered' | 'read' | 'failed'): SmsStatus | null {
  const now = RANK[current];
  if (now === undefined) return null;
  if (incoming === 'failed') return now <= 1 ? 'failed' : null;
  return RANK[incoming]! > now ? incoming : null;
}

/** E.164 digits without the `+`, as WhatsApp (`to`, wa.me) writes a number. */
export function waDigits(phone: string): string {
  return phone.replace(/\D/g, '');
}

/** The merchant's own apps: a WhatsApp chat and an SMS with the message written in (docs/merchant-guide.md#sharing-a-pay-link-from-your-phone). */
export function shareLinks(phone: string, text: string): { whatsapp: string; sms: string } {
  const encoded = encodeURIComponent(text);
  return { whatsapp: `https://wa.me/${waDigits(phone)}?text=${encoded}`, sms: `sms:+${waDigits(phone)}?&body=${encoded}` };
}
