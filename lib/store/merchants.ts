import { query, queryOne, type Db } from '../postgres/db.js';
import type { Mode } from '../domain/ledger.js';
import type { MerchantId } from '../domain/ids.js';
import type { Minor } from '../domain/money.js';
import type { PayoutSchedule } from '../domain/balance.js';
import type { Merchant, MerchantStatus } from '../domain/merchant.js';

const COLUMNS = `id, name, mode, holder_id as "holderId", status, created_at as "createdAt", payout_schedule as "payoutSchedule",
  payout_minimum as "payoutMinimum", payout_delay_days as "payoutDelayDays", payout_account as "payoutAccount"`;

export async function insertMerchant(db: Db, m: Pick<Merchant, 'id' | 'name' | 'mode' | 'holderId' | 'createdAt'>): Promise<Merchant | undefined> {
  return queryOne<Merchant>(db,
    `insert into merchants (id, name, mode, holder_id, created_at) values (?, ?, ?, ?, ?) returning ${COLUMNS}`,
    [m.id, m.name, m.mode, m.holderId, m.createdAt],
  );
}

export async function findMerchant(db: Db, id: string): Promise<Merchant | undefined> {
  return queryOne(db, `select ${COLUMNS} from merchants where id = ?`, [id]);
}

export async function listMerchantPursesOf(db: Db, merchantId: string): Promise<string[]> {
  // the merchant's own mode only: a live merchant's test purses are not what the operator means by its purses (docs/merchant-guide.md#test-mode)
  const rows = await query<{ purse: string }>(db,
    `select w.purse from wallets w join merchants m on m.id = w.merchant_id where w.merchant_id = ? and w.mode = m.mode order by w.created_at, w.purse`, [merchantId]);
  return rows.map((r) => r.purse);
}

/** The merchant of an active API key (looked up by the key's SHA-256), with the key's mode. */
export async function findMerchantByApiKeyHash(db: Db, keyHash: string): Promise<(Merchant & { keyId: string; keyMode: Mode; keyLastUsedAt: Date | null }) | undefined> {
  return queryOne<Merchant & { keyId: string; keyMode: Mode; keyLastUsedAt: Date | null }>(
    db,
    `select m.*, k.id as "keyId", k.mode as "keyMode", k.last_used_at as "keyLastUsedAt"
     from api_keys k join lateral (select ${COLUMNS} from merchants where id = k.merchant_id) m on true where k.key_hash = ? and k.revoked_at is null`,
    [keyHash],
  );
}

/** The merchant row in share mode: an action holds it so a suspension waits for the action, and every later action sees it. */
export async function shareMerchant(db: Db, id: MerchantId): Promise<Merchant | undefined> {
  return queryOne<Merchant>(db, `select ${COLUMNS} from merchants where id = ? for share`, [id]);
}

/** The merchant row lock: serializes changes of its keys and settings. */
export async function lockMerchant(db: Db, id: MerchantId): Promise<Merchant | undefined> {
  return queryOne<Merchant>(db, `select ${COLUMNS} from merchants where id = ? for no key update`, [id]);
}

export async function listMerchants(db: Db, f: { afterId?: MerchantId; limit: number }): Promise<Merchant[]> {
  return query<Merchant>(db, `select ${COLUMNS} from merchants where id > coalesce(?, '') order by id limit ?`, [f.afterId ?? null, f.limit]);
}

export type MerchantChange = {
  name?: string;
  status?: MerchantStatus;
  payoutSchedule?: PayoutSchedule;
  payoutMinimum?: Minor;
  payoutDelayDays?: number;
  /** null clears it. */
  payoutAccount?: string | null;
};

export async function updateMerchant(db: Db, id: MerchantId, change: MerchantChange): Promise<Merchant | undefined> {
  return queryOne<Merchant>(
    db,
    `update merchants set name = coalesce(?, name), status = coalesce(?, status), payout_schedule = coalesce(?, payout_schedule),
       payout_minimum = coalesce(?::bigint, payout_minimum), payout_delay_days = coalesce(?::int, payout_delay_days),
       payout_account = case when ?::boolean then ? else payout_account end
     where id = ? returning ${COLUMNS}`,
    [change.name ?? null, change.status ?? null, change.payoutSchedule ?? null, change.payoutMinimum ?? null, change.payoutDelayDays ?? null,
      change.payoutAccount !== undefined, change.payoutAccount ?? null, id],
  );
}

