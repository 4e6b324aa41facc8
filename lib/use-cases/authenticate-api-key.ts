import type { Deps } from './deps.js';
import { findMerchantByApiKeyHash, type MerchantRow } from '../store/merchants.js';
import { apiKeyMode, sha256Hex } from '../domain/secrets.js';

/** The merchant of an active API key of the right shape and mode; keys are looked up by their SHA-256 only. */
export async function authenticateApiKey(deps: Pick<Deps, 'db'>, key: string | undefined): Promise<MerchantRow | undefined> {
  const mode = key ? apiKeyMode(key) : undefined;
  if (!key || !mode) return undefined;
  const found = await findMerchantByApiKeyHash(deps.db, sha256Hex(key));
  return found && found.keyMode === mode ? found : undefined;
}
