import type { Deps } from './deps.js';
import { findMerchantByApiKeyHash, type MerchantRow } from '../store/merchants.js';
import { touchApiKey } from '../store/api-keys.js';
import { consume } from './rate-limit.js';
import { AppError } from '../domain/errors.js';
import { apiKeyMode, sha256Hex } from '../domain/secrets.js';

const LAST_USED_PRECISION_MS = 60_000;

/**
 * The merchant of an active API key of the right shape and mode (keys are looked up by their
 * SHA-256 only, so a revoked key is refused on its very next request); a suspended merchant's keys
 * are refused with 403 merchant_suspended (spec §9).
 */
export async function authenticateApiKey(deps: Pick<Deps, 'db' | 'clock' | 'config' | 'observer'>, key: string | undefined): Promise<(MerchantRow & { keyId: string }) | undefined> {
  const mode = key ? apiKeyMode(key) : undefined;
  if (!key || !mode) return undefined;
  const hash = sha256Hex(key);
  const found = await findMerchantByApiKeyHash(deps.db, hash);
  if (!found || found.keyMode !== mode) return undefined;
  if (found.status === 'suspended') throw new AppError('merchant_suspended', 'This merchant is suspended: its API keys are refused. Ask the operator.');
  // "last used" is kept to the minute: a write only when it is older, not a statement on every request
  const now = deps.clock.now();
  if (!found.keyLastUsedAt || now.getTime() - found.keyLastUsedAt.getTime() >= LAST_USED_PRECISION_MS) await touchApiKey(deps.db, hash, now);
  // spec §14: API_RATE_PER_SECOND per key, shared by every instance
  await consume(deps, 'api_key', found.keyId);
  return found;
}
