import type { Phone } from './phone.js';

/** A limit of spec §14: at most `max` hits per subject in a fixed window of `windowMs`. */
export type RateLimit = { name: LimitName; max: number; windowMs: number };

export type LimitName = 'form_payments' | 'page_codes' | 'page_wrong_codes' | 'range_sms' | 'sms_budget' | 'api_key' | 'office_sign_in' | 'alert_sms' | 'alert_confirmations';

export function windowStart(now: Date, windowMs: number): Date {
  return new Date(Math.floor(now.getTime() / windowMs) * windowMs);
}

/** Seconds until the window that refused a hit is over (at least 1). */
export function retryAfterSeconds(start: Date, windowMs: number, now: Date): number {
  return Math.max(1, Math.ceil((start.getTime() + windowMs - now.getTime()) / 1000));
}

/** The SMS-pumping guard counts per number range: the phone without its last 4 digits. */
export function numberRange(phone: Phone | string): string {
  return phone.slice(0, -4);
}

export function counterKey(limit: RateLimit, subject: string): string {
  return `${limit.name}:${subject}`;
}
