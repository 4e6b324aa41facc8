import type { Deps } from '../shared/deps.js';
import { findMerchantByApiKeyHash } from '../../store/merchants.js';
import { touchApiKey } from '../../store/api-keys.js';
import type { KeyHolder } from './api-key-cache.js';
import { consume } from '../limits/rate-limit.js';
import { AppError } from '../../domain/errors.js';
import { apiKeyMode, sha256Hex } from '../../domain/secrets.js';
import { lastUsedStaleBefore } from '../../domain/api-key.js';
import type { Merchant } from '../../domain/merchant.js';
import type { Mode } from '../../domain/ledger.js';

/**
 * The merchant of an active API key of the right shape and mode (keys are looked up by their
 * SHA-256 only); a suspended merchant's keys are refused with 403 merchant_suspended (docs/merchant-guide.md#shops-methods-and-keys).
 * A lookup is trusted for API_KEY_CACHE_MS (at most 1 s) by this instance: a key revoked or a
 * merchant suspended here is refused on the next request, elsewhere within that bound.
 * The answer's `mode` is the key's: a live merchant's `tp_test_` key sees and moves only test money (docs/merchant-guide.md#test-mode).
 */
export async function authenticateApiKey(
  deps: Pick<Deps, 'db' | 'clock' | 'config' | 'observer' | 'apiKeys'>, key: string | undefined, opts: { countLater?: boolean } = {},
): Promise<(Merchant & { keyId: string; accountMode: Mode }) | undefined> {
  const mode = key ? apiKeyMode(key) : undefined;
  if (!key || !mode) return undefined;
  const hash = sha256Hex(key);
  const now = deps.clock.now();
  const found = await lookUp(deps, hash, now.getTime());
  if (!found || found.keyMode !== mode) return undefined;
  if (found.status === 'suspended') throw new AppError('merchant_suspended', 'This merchant is suspended: its API keys are refused. Ask the operator.');
  // "last used" is kept to the minute: a write only when it is older, not a statement on every request
  const staleBefore = lastUsedStaleBefore(now);
  if (!found.keyLastUsedAt || found.keyLastUsedAt <= staleBefore) {
    await touchApiKey(deps.db, hash, now, staleBefore);
    found.keyLastUsedAt = now;
  }
  // docs/merchant-guide.md#abuse-limits: API_RATE_PER_SECOND per key, shared by every instance (`countLater`: the money statement counts it)
  if (!opts.countLater) await consume(deps, 'api_key', found.keyId);
  return { ...found, mode: found.keyMode as Mode, accountMode: found.mode };
}

async function lookUp(deps: Pick<Deps, 'db' | 'apiKeys'>, hash: string, nowMs: number): Promise<KeyHolder | undefined> {
  const cached = deps.apiKeys?.get(hash, nowMs);
  if (cached) return cached;
  const found = await findMerchantByApiKeyHash(deps.db, hash);
  // an unknown key is not remembered: a key created a moment ago elsewhere works at once
  if (found) deps.apiKeys?.set(hash, found, nowMs);
  return found;
}
