import type { ApiKeyId, MerchantId } from './ids.js';
import type { Mode } from './ledger.js';
import { MINUTE_MS } from './time.js';

/** An API key of a merchant (lib/store/api-keys.ts), without its secret. */
export type ApiKey = { id: ApiKeyId; merchantId: MerchantId; mode: Mode; prefix: string; name: string; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null };

/** "Last used" is kept to the minute: a key's is written only when it is older than this, not on every request. */
export function lastUsedStaleBefore(now: Date): Date {
  return new Date(now.getTime() - MINUTE_MS);
}
