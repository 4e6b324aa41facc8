import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { generate } from 'otplib';
import type { PaymentId } from './ids.js';
import type { Mode } from './ledger.js';

/**
 * A code is HOTP (RFC 4226, via otplib) over a per-payment key derived from CODE_SECRET and a
 * random counter drawn at each send. The database keeps only the counter, so a dump alone cannot
 * give a live code; with the server key the code can be recomputed, so it is never stored.
 */
export async function deriveCode(serverKey: string, paymentId: string, counter: number, digits: number): Promise<string> {
  const secret = new Uint8Array(createHmac('sha256', serverKey).update(`telepurse:code:${paymentId}`).digest());
  return generate({ strategy: 'hotp', secret, counter, digits, algorithm: 'sha256' });
}

/** 48 random bits: counters never repeat in practice, so each send is a fresh code. */
export function newCodeCounter(): number {
  return randomInt(1, 2 ** 48 - 1);
}

export function looksLikeCode(input: unknown, digits: number): input is string {
  return typeof input === 'string' && new RegExp(`^\\d{${digits}}$`).test(input);
}

export function codesEqual(a: string, b: string): boolean {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return ba.length === bb.length && timingSafeEqual(ba, bb);
}

/** A confirmation code sent for a payment (lib/store/codes.ts); the code itself is derived, never kept. */
export type PaymentCode = {
  id: bigint;
  paymentId: PaymentId;
  seq: number;
  phone: string;
  mode: Mode;
  counter: bigint;
  sentAt: Date;
  expiresAt: Date;
  wrongTries: number;
  status: 'live' | 'used' | 'dead';
  delivery: 'pending' | 'sent' | 'failed';
  /** Which CODE_SECRET derived it (a short hash); null for codes sent before secrets were named. */
  secretId: string | null;
};
