import { query, queryOne, type Db } from './db.js';
import type { Currency } from '../domain/currency.js';
import type { Mode, PlannedPosting } from '../domain/ledger.js';
import type { Minor } from '../domain/money.js';

export type TransferRow = {
  id: bigint;
  key: string;
  kind: string;
  currency: Currency;
  mode: Mode;
  createdAt: Date;
  metadata: Record<string, unknown>;
};

export type PostingRow = { id: bigint; transferId: bigint; purse: string; amount: Minor; balanceAfter: Minor; createdAt: Date };

const TRANSFER = `id, key, kind, currency, mode, created_at as "createdAt", metadata`;
const POSTING = `id, transfer_id as "transferId", purse, amount, balance_after as "balanceAfter", created_at as "createdAt"`;

/**
 * Inserts the transfer unless its key exists. A concurrent insert of the same key waits for the
 * first transaction and then gets nothing back: the caller replays the first outcome.
 */
export async function insertTransferOnce(
  db: Db,
  t: { key: string; kind: string; currency: Currency; mode: Mode; createdAt: Date; metadata: Record<string, unknown> },
): Promise<TransferRow | undefined> {
  return queryOne(db,
    `insert into transfers (key, kind, currency, mode, created_at, metadata) values (?, ?, ?, ?, ?, ?)
     on conflict (key) do nothing returning ${TRANSFER}`,
    [t.key, t.kind, t.currency, t.mode, t.createdAt, JSON.stringify(t.metadata)],
  );
}

export async function findTransferByKey(db: Db, key: string): Promise<TransferRow | undefined> {
  return queryOne(db, `select ${TRANSFER} from transfers where key = ?`, [key]);
}

export async function findTransfer(db: Db, id: bigint): Promise<TransferRow | undefined> {
  return queryOne(db, `select ${TRANSFER} from transfers where id = ?`, [id]);
}

export async function insertPostings(db: Db, transferId: bigint, postings: PlannedPosting[], createdAt: Date): Promise<void> {
  const values = postings.map(() => '(?, ?, ?, ?, ?)').join(', ');
  const params = postings.flatMap((p) => [transferId, p.purse, p.amount, p.balanceAfter, createdAt]);
  await query(db, `insert into postings (transfer_id, purse, amount, balance_after, created_at) values ${values}`, params);
}

export async function listPostingsOfTransfer(db: Db, transferId: bigint): Promise<PostingRow[]> {
  return query(db, `select ${POSTING} from postings where transfer_id = ? order by id`, [transferId]);
}

export async function listPostingsOfWallet(db: Db, purse: string, limit: number): Promise<PostingRow[]> {
  return query(db, `select ${POSTING} from postings where purse = ? order by id desc limit ?`, [purse, limit]);
}

/** Debits paid from a wallet: a bench and test check that a payment moved money exactly once. */
export async function countPostingsByKeyPrefix(db: Db, keyPrefix: string, purse: string): Promise<number> {
  const row = await queryOne<{ n: number }>(
    db,
    `select count(*)::int as n from postings p join transfers t on t.id = p.transfer_id
     where t.key like ? and p.purse = ?`,
    [`${keyPrefix}%`, purse],
  );
  return row!.n;
}
