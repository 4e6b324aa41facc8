import type { Deps } from './deps.js';
import type { MerchantId } from '../../domain/ids.js';
import * as keys from '../../store/idempotency.js';
import { secondsAfter } from '../../domain/time.js';
import type { IdempotencyRecord } from '../../domain/request-key.js';

export type { IdempotencyRecord } from '../../domain/request-key.js';

/** Whose keys: a merchant's (its id), or the operator's. Two owners' keys never meet. */
export type KeyOwner = MerchantId | typeof OPERATOR;
export const OPERATOR = 'operator';

/** Claims an Idempotency-Key for a request (docs/merchant-guide.md#the-json-api; the operator API too), or returns the record that holds it. */
export function claimIdempotencyKey(deps: Pick<Deps, 'db' | 'clock' | 'config'>, owner: KeyOwner, key: string, fingerprint: string) {
  const now = deps.clock.now();
  return keys.claimKey(deps.db, {
    owner, key, fingerprint, now,
    lockedUntil: secondsAfter(now, deps.config.idempotencyInFlightSeconds),
    expiresAt: secondsAfter(now, deps.config.idempotencyTtlSeconds),
  });
}

export function completeIdempotencyKey(deps: Pick<Deps, 'db'>, owner: KeyOwner, key: string, statusCode: number, body: unknown): Promise<void> {
  return keys.completeKey(deps.db, owner, key, statusCode, body);
}

export function releaseIdempotencyKey(deps: Pick<Deps, 'db'>, owner: KeyOwner, key: string): Promise<void> {
  return keys.releaseKey(deps.db, owner, key);
}

/** The purge job: records older than their 24 h; safe on many instances (a plain DELETE). */
export function purgeLapsedIdempotencyKeys(deps: Pick<Deps, 'db' | 'clock'>): Promise<number> {
  return keys.purgeExpiredKeys(deps.db, deps.clock.now());
}
