import type { MerchantId } from '../domain/ids.js';
import type { Deps } from './deps.js';
import * as keys from '../store/idempotency.js';
import { secondsAfter } from '../domain/time.js';

export type { IdempotencyRow } from '../store/idempotency.js';

/** Claims an Idempotency-Key for a request (spec §6), or returns the record that holds it. */
export function claimIdempotencyKey(deps: Pick<Deps, 'db' | 'clock' | 'config'>, merchantId: MerchantId, key: string, fingerprint: string) {
  const now = deps.clock.now();
  return keys.claimKey(deps.db, {
    merchantId, key, fingerprint, now,
    lockedUntil: secondsAfter(now, deps.config.idempotencyInFlightSeconds),
    expiresAt: secondsAfter(now, deps.config.idempotencyTtlSeconds),
  });
}

export function completeIdempotencyKey(deps: Pick<Deps, 'db'>, merchantId: MerchantId, key: string, statusCode: number, body: unknown): Promise<void> {
  return keys.completeKey(deps.db, merchantId, key, statusCode, body);
}

export function releaseIdempotencyKey(deps: Pick<Deps, 'db'>, merchantId: MerchantId, key: string): Promise<void> {
  return keys.releaseKey(deps.db, merchantId, key);
}

/** The purge job: records older than their 24 h; safe on many instances (a plain DELETE). */
export function purgeLapsedIdempotencyKeys(deps: Pick<Deps, 'db' | 'clock'>): Promise<number> {
  return keys.purgeExpiredKeys(deps.db, deps.clock.now());
}
