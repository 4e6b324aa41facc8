import { query, queryOne, type Db } from '../postgres/db.js';
import type { Currency } from '../domain/currency.js';
import type { Mode } from '../domain/ledger.js';
import type { Minor } from '../domain/money.js';
import type { Voucher, VoucherBatchId, VoucherId, VoucherStatus } from '../domain/voucher.js';

const COLUMNS = `id, batch_id as "batchId", currency, mode, amount, status, expires_at as "expiresAt", created_at as "createdAt",
  ended_at as "endedAt", redeemed_purse as "redeemedPurse"`;

export type NewBatch = {
  batchId: VoucherBatchId; ids: VoucherId[]; hashes: string[]; secretId: string;
  currency: Currency; mode: Mode; amount: Minor; expiresAt: Date | null; createdAt: Date; issueTransferId: bigint;
};

/** A whole batch in one statement (up to 10,000 rows), returned in the order of `ids`. */
export async function insertBatch(db: Db, b: NewBatch): Promise<Voucher[]> {
  return query<Voucher>(db,
    `insert into vouchers (id, batch_id, code_hash, secret_id, currency, mode, amount, expires_at, created_at, issue_transfer_id)
     select v.id, ?, v.hash, ?, ?, ?, ?, ?, ?, ? from unnest(?::text[], ?::text[]) with ordinality as v(id, hash, n)
     order by v.n returning ${COLUMNS}`,
    [b.batchId, b.secretId, b.currency, b.mode, b.amount, b.expiresAt, b.createdAt, b.issueTransferId, b.ids, b.hashes]);
}

/** The voucher of a code (any of its possible hashes), locked: twenty redemptions of one code queue here, one wins. */
export async function lockByHash(db: Db, hashes: string[]): Promise<Voucher | undefined> {
  return queryOne<Voucher>(db, `select ${COLUMNS} from vouchers where code_hash = any(?) limit 1 for update`, [hashes]);
}

export async function lockVoucher(db: Db, id: VoucherId): Promise<Voucher | undefined> {
  return queryOne<Voucher>(db, `select ${COLUMNS} from vouchers where id = ? for update`, [id]);
}

/** Ends an active voucher (redeemed, void or expired) with the transfer that moved its money. */
export async function endVoucher(db: Db, id: VoucherId, e: { status: Exclude<VoucherStatus, 'active'>; at: Date; transferId: bigint; purse?: string }): Promise<Voucher> {
  const row = await queryOne<Voucher>(db,
    `update vouchers set status = ?, ended_at = ?, end_transfer_id = ?, redeemed_purse = ? where id = ? and status = 'active' returning ${COLUMNS}`,
    [e.status, e.at, e.transferId, e.purse ?? null, id]);
  if (!row) throw new Error(`voucher ${id} was not active`);
  return row;
}

/** Active vouchers past their expiry, claimed so that another instance's job takes others (SKIP LOCKED). */
export async function claimExpired(db: Db, now: Date, limit: number): Promise<Voucher[]> {
  return query<Voucher>(db,
    `select ${COLUMNS} from vouchers where status = 'active' and expires_at is not null and expires_at <= ?
     order by expires_at limit ? for update skip locked`,
    [now, limit]);
}

/** The operator's list, by id, a page at a time; never the code. */
export async function listVouchers(db: Db, f: { batchId?: VoucherBatchId; status?: VoucherStatus; after?: VoucherId; limit: number }): Promise<Voucher[]> {
  return query<Voucher>(db,
    `select ${COLUMNS} from vouchers
     where (?::text is null or batch_id = ?) and (?::text is null or status = ?) and id > coalesce(?, '')
     order by id limit ?`,
    [f.batchId ?? null, f.batchId ?? null, f.status ?? null, f.status ?? null, f.after ?? null, f.limit]);
}
