import type { Mode } from './ledger.js';

/** A code sent to sign in at /me (lib/store/sign-in-codes.ts): as a payment code, only its HOTP counter is kept, never the code. */
export type SignInCode = {
  id: bigint;
  phone: string;
  counter: bigint;
  secretId: string;
  sentAt: Date;
  expiresAt: Date;
  wrongTries: number;
  status: 'live' | 'used' | 'dead';
  delivery: 'pending' | 'sent' | 'failed';
};

/** Sign-in codes are live money's: they count in the phone's live caps, as its live payment codes do. */
export const SIGN_IN_MODE: Mode = 'live';

/** The HOTP key of a phone's sign-in codes is derived from this name, never equal to a payment id (`pay_…`). */
export function signInCodeSubject(phone: string): string {
  return `me:${phone}`;
}
