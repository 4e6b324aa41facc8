import type { Deps } from '../shared/deps.js';
import type { Mode } from '../../domain/ledger.js';
import { inTransaction } from '../../postgres/db.js';
import type { ActionNote } from '../shared/action-note.js';
import { assertMerchantActs, refuseSuspended } from './merchant-acts.js';
import { findMerchant, lockMerchant } from '../../store/merchants.js';
import * as apiKeys from '../../store/api-keys.js';
import { AppError, invalidRequest } from '../../domain/errors.js';
import { newId, type ApiKeyId, type MerchantId } from '../../domain/ids.js';
import { apiKeyPrefix, newApiKey, sha256Hex } from '../../domain/secrets.js';
import type { ApiKey } from '../../domain/api-key.js';
import type { Merchant } from '../../domain/merchant.js';

export type { ApiKey } from '../../domain/api-key.js';

export function listApiKeys(deps: Pick<Deps, 'db'>, merchantId: MerchantId): Promise<ApiKey[]> {
  return apiKeys.listApiKeys(deps.db, merchantId);
}

/**
 * A new key, in `mode` or else the caller's (an API key's own mode); the key itself leaves here once, only its SHA-256 is kept.
 * Every live merchant may make test keys (docs/merchant-guide.md#test-mode); a test merchant has test keys only.
 */
export async function createApiKey(
  deps: Pick<Deps, 'db' | 'clock'>, merchant: Merchant, name: string, note?: ActionNote<ApiKey>, wanted?: Mode,
): Promise<{ row: ApiKey; key: string }> {
  const mode = wanted ?? merchant.mode;
  const key = newApiKey(mode);
  const row = await inTransaction(deps.db, async (trx) => {
    await assertMerchantActs(trx, merchant.id);
    const account = await findMerchant(trx, merchant.id);
    if (mode === 'live' && account?.mode === 'test') throw invalidRequest('A test merchant has test keys only', [{ field: 'mode', message: 'a test merchant has no live purses' }]);
    const inserted = await apiKeys.insertApiKey(trx, {
      id: newId('key'), merchantId: merchant.id, mode, prefix: apiKeyPrefix(key), keyHash: sha256Hex(key), name, createdAt: deps.clock.now(),
    });
    await note?.(trx, inserted);
    return inserted;
  });
  return { row, key };
}

/** Revoked at once (the next request with it is 401 here, within API_KEY_CACHE_MS on other instances); the last active key stays, or the merchant would lock itself out. */
export async function revokeApiKey(deps: Pick<Deps, 'db' | 'clock' | 'apiKeys'>, merchantId: MerchantId, id: ApiKeyId, note?: ActionNote<ApiKeyId>, only?: Mode): Promise<void> {
  const outcome = await inTransaction(deps.db, async (trx) => {
    const merchant = await lockMerchant(trx, merchantId);
    if (merchant) refuseSuspended(merchant);
    // only: a test key revokes test keys only (docs/merchant-guide.md#test-mode); another is as unknown as a missing one
    const revoked = await apiKeys.revokeApiKey(trx, merchantId, id, deps.clock.now(), only);
    if (revoked !== 'not_found' && revoked !== 'last_key') await note?.(trx, id);
    return revoked;
  });
  deps.apiKeys?.forgetMerchant(merchantId);
  if (outcome === 'not_found') throw new AppError('api_key_not_found', `No active API key ${id.slice(0, 40)}`);
  if (outcome === 'last_key') throw new AppError('last_api_key', 'This is your last active API key: create another one before revoking it');
}
