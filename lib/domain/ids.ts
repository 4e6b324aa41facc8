import { randomBytes, randomInt } from 'node:crypto';

type IdPrefix = 'pay' | 'rfd' | 'mch' | 'hld' | 'ntf' | 'key' | 'sms';

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
