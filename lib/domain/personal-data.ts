import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
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

// between two digits as people type them: up to 4 of space, dot, dash, slash, brackets, or their form-encoded forms
const SEPARATORS = '(?:[-. ()/+]|%2[089Ff]){0,4}';

/**
 * The digits a person may write the number with: international (79031234567), national with its trunk prefix (89031234567,
 * 0301234567), and the national number alone when it is long enough (9 digits) not to be some other number.
 */
export function phoneSpellings(digits: string): string[] {
  const parsed = parsePhoneNumberFromString(`+${digits}`);
  if (!parsed) return [digits];
  const nsn = parsed.nationalNumber;
  return [...new Set([digits, parsed.formatNational().replace(/\D/g, ''), ...(nsn.length >= 9 ? [nsn] : [])])];
}

/**
 * The phone where no digit touches it (a longer number that contains it is another phone), in any of its spellings and as
 * people type them ("+7 (903) 123-45-67", "8 903 123 45 67"), also form-encoded as a stored Result has them ("7+%28903%29+…").
 */
export function digitsPattern(digits: string): string {
  if (!/^\d{7,15}$/.test(digits)) throw new Error('a phone is 7 to 15 digits');
  return `(?<![0-9])(?:${phoneSpellings(digits).map((d) => d.split('').join(SEPARATORS)).join('|')})(?![0-9])`;
}

/** Column names whose values are secrets or their hashes: never handed out, not even to the person they are about. */
export const SECRET_COLUMN = /hash|token|secret|csrf|password|totp|fingerprint|^counter$/;
