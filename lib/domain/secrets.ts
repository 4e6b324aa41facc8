import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Mode } from './ledger.js';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function base62(bytes: number): string {
  // 62 does not divide 256: rejection sampling keeps every character equally likely.
  let out = '';
  while (out.length < bytes) {
    for (const b of randomBytes(bytes * 2)) {
      if (b < 248 && out.length < bytes) out += BASE62[b % 62];
    }
  }
  return out;
}

export function newApiKey(mode: Mode): string {
  return `tp_${mode}_${base62(32)}`;
}

export function apiKeyMode(key: string): Mode | undefined {
  const m = /^tp_(live|test)_[0-9A-Za-z]{32}$/.exec(key);
  return m ? (m[1] as Mode) : undefined;
}

/** Shown in listings so an operator can tell keys apart without seeing them. */
export function apiKeyPrefix(key: string): string {
  return key.slice(0, 12);
}

export function newSecretKey(): string {
  return base62(40);
}

/** Standard Webhooks secrets are `whsec_` and base64 of the key bytes. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Constant-time equality of two secrets of any length (both sides are hashed to equal lengths first). */
export function secretsEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb);
}
