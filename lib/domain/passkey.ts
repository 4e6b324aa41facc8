import { createHash } from 'node:crypto';
import type { Audience, User } from './user.js';
import type { Payment } from './payment.js';
import type { UserId } from './ids.js';

/** A user's WebAuthn credential: its public key and signature counter, nothing that can sign (docs/security.md#passkeys). */
export type Passkey = {
  id: string;
  userId: UserId;
  credentialId: string;
  publicKey: Uint8Array;
  counter: number;
  transports: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
};

export type ChallengePurpose = 'register' | 'sign_in' | 'pay';

/** A challenge handed out once, kept as its hash: what it was for, and for a payment the nonce it was derived with. */
export type PasskeyChallenge = {
  challengeHash: string;
  purpose: ChallengePurpose;
  audience: Audience | null;
  userId: UserId | null;
  paymentId: string | null;
  nonce: Uint8Array | null;
  createdAt: Date;
  expiresAt: Date;
  spentAt: Date | null;
};

/** Long enough for a fingerprint or a PIN, short enough that an old challenge is soon useless. */
export const CHALLENGE_TTL_MS = 5 * 60_000;
/** Removing the last passkey asks for an SMS-code sign-in this recent (docs/buyer-guide.md#paying-with-a-passkey). */
export const FRESH_SIGN_IN_MS = 5 * 60_000;

/** The relying party: the host of PUBLIC_URL and its origin; none on an IP address, where browsers refuse WebAuthn. */
export type RelyingParty = { id: string; origin: string; name: string };

export function relyingPartyOf(publicUrl: string): RelyingParty | undefined {
  const url = new URL(publicUrl);
  // WHATWG URL writes every IPv4 form as dotted decimal and IPv6 in brackets
  const host = url.hostname;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.startsWith('[')) return undefined;
  return { id: host, origin: url.origin, name: 'telepurse' };
}

/** Why the passkey options are not offered, for the one line the start log writes; none when they are. */
export function passkeysUnavailable(publicUrl: string): string | undefined {
  if (relyingPartyOf(publicUrl)) return undefined;
  return `PUBLIC_URL ${publicUrl} is an IP address: browsers allow passkeys only on a domain name (localhost counts), so no passkey option is offered`;
}

export function sha256(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(createHash('sha256').update(bytes).digest());
}

export function challengeHash(challenge: Uint8Array): string {
  return createHash('sha256').update(challenge).digest('hex');
}

/**
 * The challenge of a payment's approval: SHA-256 over a canonical encoding of what is being paid and a one-time
 * nonce, so an assertion answers this payment, of this amount, to this shop, once.
 */
export function paymentChallenge(payment: Pick<Payment, 'id' | 'amount' | 'currency' | 'shopId'>, nonce: Uint8Array): Uint8Array<ArrayBuffer> {
  const fields = ['telepurse-pay-v1', payment.id, payment.amount.toString(), payment.currency, payment.shopId];
  const canonical = Buffer.from(fields.map((f) => `${f.length}:${f}`).join(''), 'utf8');
  return sha256(Buffer.concat([canonical, Buffer.from(nonce)]));
}

/** A challenge may be spent while it is unspent and young. */
export function challengeUsable(c: Pick<PasskeyChallenge, 'spentAt' | 'expiresAt'>, now: Date): boolean {
  return c.spentAt === null && c.expiresAt > now;
}

/**
 * The signature counter must go forward. An authenticator that keeps none reports 0 every time; a counter that
 * goes back (or stays) while either is nonzero means a copy of the key is in use: a cloned authenticator.
 */
export function counterGoesBack(stored: number, received: number): boolean {
  return (stored > 0 || received > 0) && received <= stored;
}

/** The name the authenticator shows for the credential: the buyer's phone, or the e-mail of an office or console user. */
export function passkeyUserName(user: Pick<User, 'phone' | 'email' | 'id'>): string {
  return user.phone ?? user.email ?? user.id;
}

/** The WebAuthn user handle: the user id's bytes, so a discoverable assertion names its user. */
export function userHandleOf(userId: UserId): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(userId, 'utf8'));
}
