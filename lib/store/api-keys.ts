import { query, queryOne, type Db } from './db.js';
import type { Mode } from '../domain/ledger.js';

export type ApiKeyRow = { id: string; merchantId: string; mode: Mode; prefix: string; createdAt: Date; revokedAt: Date | null };

export async function insertApiKey(
  db: Db,
  k: { id: string; merchantId: string; mode: Mode; prefix: string; keyHash: string; createdAt: Date },
): Promise<void> {
  await query(db,
    `insert into api_keys (id, merchant_id, mode, prefix, key_hash, created_at) values (?, ?, ?, ?, ?, ?)`,
    [k.id, k.merchantId, k.mode, k.prefix, k.keyHash, k.createdAt],
  );
}

/** Looks a key up by its SHA-256: the key itself is never stored, and the index lookup reveals nothing about it. */
export async function findActiveApiKeyByHash(db: Db, keyHash: string): Promise<ApiKeyRow | undefined> {
  return queryOne(db,
    `select id, merchant_id as "merchantId", mode, prefix, created_at as "createdAt", revoked_at as "revokedAt"
     from api_keys where key_hash = ? and revoked_at is null`,
    [keyHash],
  );
}
