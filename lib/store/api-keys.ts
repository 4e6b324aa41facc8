import { query, type Db } from './db.js';
import type { Mode } from '../domain/ledger.js';

export async function insertApiKey(
  db: Db,
  k: { id: string; merchantId: string; mode: Mode; prefix: string; keyHash: string; createdAt: Date },
): Promise<void> {
  await query(db,
    `insert into api_keys (id, merchant_id, mode, prefix, key_hash, created_at) values (?, ?, ?, ?, ?, ?)`,
    [k.id, k.merchantId, k.mode, k.prefix, k.keyHash, k.createdAt],
  );
}
