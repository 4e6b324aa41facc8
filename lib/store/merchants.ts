import { query, queryOne, type Db } from './db.js';
import type { Mode } from '../domain/ledger.js';
import type { MerchantId } from '../domain/ids.js';


/** The merchant's account: who it is, its mode and status. The payment settings live on its shops (store/shops.ts). */
export type MerchantRow = {
  id: MerchantId;
  name: string;
  mode: Mode;
  holderId: string;
  status: MerchantStatus;
  createdAt: Date;
};

export type MerchantStatus = 'active' | 'suspended';

const COLUMNS = `id, name, mode, holder_id as "holderId", status, created_at as "createdAt"`;

export async function insertMerchant(db: Db, m: Omit<MerchantRow, 'status'>): Promise<MerchantRow | undefined> {
  return queryOne<MerchantRow>(db,
    `insert into merchants (id, name, mode, holder_id, created_at) values (?, ?, ?, ?, ?) returning ${COLUMNS}`,
    [m.id, m.name, m.mode, m.holderId, m.createdAt],
  );
}

export async function findMerchant(db: Db, id: string): Promise<MerchantRow | undefined> {
  return queryOne(db, `select ${COLUMNS} from merchants where id = ?`, [id]);
}


export async function listMerchantPursesOf(db: Db, merchantId: string): Promise<string[]> {
  const rows = await query<{ purse: string }>(db, `select purse from wallets where merchant_id = ? order by created_at, purse`, [merchantId]);
  return rows.map((r) => r.purse);
}

/** The merchant of an active API key (looked up by the key's SHA-256), with the key's mode. */
export async function findMerchantByApiKeyHash(db: Db, keyHash: string): Promise<(MerchantRow & { keyMode: Mode; keyLastUsedAt: Date | null }) | undefined> {
  return queryOne<MerchantRow & { keyMode: Mode; keyLastUsedAt: Date | null }>(
    db,
    `select m.id, m.name, m.mode, m.holder_id as "holderId", m.status, m.created_at as "createdAt",
       k.mode as "keyMode", k.last_used_at as "keyLastUsedAt"
     from api_keys k join merchants m on m.id = k.merchant_id where k.key_hash = ? and k.revoked_at is null`,
    [keyHash],
  );
}


/** The merchant row lock: serializes changes of its keys and settings. */
export async function lockMerchant(db: Db, id: MerchantId): Promise<MerchantRow | undefined> {
  return queryOne<MerchantRow>(db, `select ${COLUMNS} from merchants where id = ? for no key update`, [id]);
}

export async function listMerchants(db: Db, f: { afterId?: MerchantId; limit: number }): Promise<MerchantRow[]> {
  return query<MerchantRow>(db, `select ${COLUMNS} from merchants where id > coalesce(?, '') order by id limit ?`, [f.afterId ?? null, f.limit]);
}

export async function updateMerchant(db: Db, id: MerchantId, change: { name?: string; status?: MerchantStatus }): Promise<MerchantRow | undefined> {
  return queryOne<MerchantRow>(
    db,
    `update merchants set name = coalesce(?, name), status = coalesce(?, status) where id = ? returning ${COLUMNS}`,
    [change.name ?? null, change.status ?? null, id],
  );
}


