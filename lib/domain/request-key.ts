/**
 * The key a use-case keeps on the row it creates (a payment, a refund, a payout), to find it again
 * when the request is retried after a crash: the caller's Idempotency-Key and a fingerprint of the
 * request, so the same key with another request is another request, never the first one's answer.
 */
export function rowKeyOf(key: string, fingerprint: string): string {
  return `${key}#${fingerprint.slice(0, 16)}`;
}

/** What an idempotency key recorded (lib/store/idempotency.ts). */
export type IdempotencyRecord = {
  fingerprint: string;
  state: 'in_flight' | 'done';
  statusCode: number | null;
  responseBody: unknown;
  lockedUntil: Date;
  expiresAt: Date;
};
