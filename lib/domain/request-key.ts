/**
 * The key a use-case keeps on the row it creates (a payment, a refund, a payout), to find it again
 * when the request is retried after a crash: the caller's Idempotency-Key and a fingerprint of the
 * request, so the same key with another request is another request, never the first one's answer.
 */
export function rowKeyOf(key: string, fingerprint: string): string {
  return `${key}#${fingerprint.slice(0, 16)}`;
}
