import type { MerchantId } from '../../domain/ids.js';
import type { Merchant } from '../../domain/merchant.js';

export type KeyHolder = Merchant & { keyId: string; keyMode: string; keyLastUsedAt: Date | null };

/**
 * API key (its SHA-256) → merchant, for at most `API_KEY_CACHE_MS` (1 s by default): the key lookup
 * was one of the two statements every API request paid before its own work (issue 23). This
 * instance forgets a merchant's keys the moment it revokes one or changes the merchant; another
 * instance's change reaches it when the entry lapses, so a revoked key or a suspended merchant is
 * refused everywhere within that bound. Times come from the service's clock.
 */
export class ApiKeyCache {
  private readonly entries = new Map<string, { holder: KeyHolder; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(keyHash: string, nowMs: number): KeyHolder | undefined {
    const entry = this.entries.get(keyHash);
    if (!entry) return undefined;
    if (entry.until > nowMs) return entry.holder;
    this.entries.delete(keyHash);
    return undefined;
  }

  set(keyHash: string, holder: KeyHolder, nowMs: number): void {
    if (this.ttlMs <= 0) return;
    // a full cache drops its oldest entry (a Map iterates in insertion order)
    if (this.entries.size >= this.maxEntries && !this.entries.has(keyHash)) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(keyHash, { holder, until: nowMs + this.ttlMs });
  }

  /** Every cached key of this merchant (a key revoked, the merchant suspended or changed). */
  forgetMerchant(merchantId: MerchantId): void {
    for (const [hash, entry] of this.entries) if (entry.holder.id === merchantId) this.entries.delete(hash);
  }
}
