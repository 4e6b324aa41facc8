import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** E.164 digits without the leading `+`, as `LMI_TELEPAT_PHONENUMBER` carries it. */
export type Phone = string & { readonly __brand: 'Phone' };

export type PhoneParse = { ok: true; phone: Phone } | { ok: false; reason: string };

const PLAUSIBLE = /^[+\d\s().\-]{6,32}$/;

/** Accepts any common notation with a country code: `+7 903 123-45-67`, `79031234567`, `(+44) 20 7946 0958`. */
export function parsePhone(input: unknown): PhoneParse {
  if (typeof input !== 'string') return { ok: false, reason: 'phone must be a string' };
  const trimmed = input.trim();
  if (!PLAUSIBLE.test(trimmed)) return { ok: false, reason: 'phone may contain only digits, spaces, +, -, . and brackets' };
  const withPlus = trimmed.startsWith('+') ? trimmed : `+${trimmed.replace(/^00/, '')}`;
  const parsed = parsePhoneNumberFromString(withPlus);
  if (!parsed) return { ok: false, reason: 'phone is not a number with a country code' };
  if (!parsed.isValid()) return { ok: false, reason: 'phone is not a valid number for its country' };
  return { ok: true, phone: parsed.number.slice(1) as Phone };
}

/** The ISO 3166 country of a valid phone (digits without +), or undefined. */
export function phoneCountry(phone: string): string | undefined {
  return parsePhoneNumberFromString(`+${phone}`)?.country;
}

/** What logs and other merchants may see: country code and first digits, last two digits. */
export function maskPhone(value: string): string {
  const digits = value.replace(/\D/g, '');
  if (digits.length < 7) return '***';
  return `+${digits.slice(0, 4)}${'*'.repeat(digits.length - 6)}${digits.slice(-2)}`;
}

/** E.164 with `+` (`+79031234567`): how phones look in JSON, on the pages and to the SMS gateways. */
export function e164(phone: string): string {
  return `+${phone}`;
}
