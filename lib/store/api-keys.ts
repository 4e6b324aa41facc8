import { query, queryOne, type Db } from '../postgres/db.js';
import type { Mode } from '../domain/ledger.js';
import type { ApiKeyId, MerchantId } from '../domain/ids.js';
import type { ApiKey } from '../domain/api-key.js';

const COLUMNS = `id, merchant_id as "merchantId", mode, prefix, name, created_at as "createdAt", last_used_at as "lastUsedAt", revoked_at as "revokedAt"`;

export async function insertApiKey(
  db: Db,
  k: { id: ApiKeyId; merchantId: MerchantId; mode: Mode; prefix: string; keyHash: string; name?: string; createdAt: Date },
): Promise<ApiKey> {
  return (await queryOne<ApiKey>(db,
    `insert into api_keys (id, merchant_id, mode, prefix, key_hash, name, created_at) values (?, ?, ?, ?, ?, ?, ?) returning ${COLUMNS}`,
    [k.id, k.merchantId, k.mode, k.prefix, k.keyHash, k.name ?? '', k.createdAt],
  ))!;
}

/** Active keys first, newest first; revoked ones stay listed with their revocation time. */
export async function listApiKeys(db: Db, merchantId: MerchantId): Promise<ApiKey[]> {
  return query<ApiKey>(db, `select ${COLUMNS} from api_keys where merchant_id = ? order by revoked_at is not null, created_at desc, id`, [merchantId]);
}

/**
 * Revokes a key of the merchant unless it is the last active one, in one statement: two revocations
 * racing for the last two keys cannot both win, because each counts the other's key as active
 * under the merchant's row lock the caller holds.
 */
export async function revokeApiKey(db: Db, merchantId: MerchantId, id: ApiKeyId, at: Date, mode?: Mode): Promise<'revoked' | 'not_found' | 'last_key'> {
  const row = await queryOne<{ found: boolean; active: number; revoked: boolean }>(
    db,
    `with target as (select id from api_keys where id = ? and merchant_id = ? and revoked_at is null and mode = coalesce(?, mode)),
          -- the keys of the merchant's own mode count: a live merchant's test keys never stand in for its last live key
          others as (select count(*)::int as n from api_keys k join merchants m on m.id = k.merchant_id
                     where k.merchant_id = ? and k.revoked_at is null and k.id <> ? and k.mode = m.mode),
          done as (update api_keys set revoked_at = ? where id = (select id from target) and (select n from others) > 0 returning 1)
     select exists (select 1 from target) as found, (select n from others) as active, exists (select 1 from done) as revoked`,
    [id, merchantId, mode ?? null, merchantId, id, at],
  );
  if (!row!.found) return 'not_found';
  return row!.revoked ? 'revoked' : 'last_key';
}

/** "Last used" moves to `at` only when it is at or before `staleBefore` (domain/api-key.ts: lastUsedStaleBefore). */
export async function touchApiKey(db: Db, keyHash: string, at: Date, staleBefore: Date): Promise<void> {
  await query(db, `update api_keys set last_used_at = ? where key_hash = ? and (last_used_at is null or last_used_at <= ?)`, [at, keyHash, staleBefore]);
}

/** Revokes the merchant's other active keys of this name (the demo's key printed at start replaces the one before). */
export async function revokeNamedKeys(db: Db, merchantId: MerchantId, name: string, keep: ApiKeyId, at: Date): Promise<void> {
  await query(db, `update api_keys set revoked_at = ? where merchant_id = ? and name = ? and id <> ? and revoked_at is null`, [at, merchantId, name, keep]);
}
