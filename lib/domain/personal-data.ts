import { DAY_MS } from './time.js';

/** Message texts are kept this long (docs/operator-guide.md#personal-data-what-is-kept-for-how-long-and-why); their rows stay, so the limits still count them. */
export const MESSAGE_TEXT_DAYS = 30;

/** Rows the retention job changes per transaction: short transactions, short row locks. */
export const RETENTION_BATCH = 1000;

/** A phone kept only by its last 2 digits (`*********67`): the same length, so a masked value masks to itself. */
export function erasedPhone(digits: string): string {
  return '*'.repeat(Math.max(digits.length - 2, 0)) + digits.slice(-2);
}

/** Payments that ended before this instant lose their phone, description and merchant fields. */
export function retentionCutoff(now: Date, retentionDays: number): Date {
  return new Date(now.getTime() - retentionDays * DAY_MS);
}

/** Message texts sent before this instant are deleted. */
export function messageTextCutoff(now: Date): Date {
  return new Date(now.getTime() - MESSAGE_TEXT_DAYS * DAY_MS);
}

/**
 * The phone's digits where no digit touches them (a longer number that contains them is another phone), as people type
 * them too: up to 4 of space, dot, dash, slash or brackets between two digits ("+7 (903) 123-45-67"), also form-encoded
 * as a stored Result body has them ("7+%28903%29+123-45-67").
 */
export function digitsPattern(digits: string): string {
  if (!/^\d{7,15}$/.test(digits)) throw new Error('a phone is 7 to 15 digits');
  return `(?<![0-9])${digits.split('').join('(?:[-. ()/+]|%2[089Ff]){0,4}')}(?![0-9])`;
}

/** Column names whose values are secrets or their hashes: never handed out, not even to the person they are about. */
export const SECRET_COLUMN = /hash|token|secret|csrf|password|totp|fingerprint|^counter$/;
