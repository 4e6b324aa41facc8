import { query, queryOne, type Db } from '../postgres/db.js';
import type { Currency } from '../domain/currency.js';
import type { Mode, Transfer, Posting } from '../domain/ledger.js';
import type { Minor } from '../domain/money.js';
import type { BalanceEntry } from '../domain/balance.js';
import { newId } from '../domain/ids.js';

const TRANSFER = `id, key, kind, currency, mode, created_at as "createdAt", metadata`;
const POSTING = `id, transfer_id as "transferId", purse, amount, balance_after as "balanceAfter", created_at as "createdAt"`;

export type TransferCall = {
  key: string; kind: string; currency: Currency; mode: Mode; at: Date; metadata?: Record<string, unknown>;
  legs: { purse: string; amount: Minor }[]; releaseHeld?: Map<string, Minor>; entries?: BalanceEntry[];
};

/** One call of tp_transfer: the whole movement in one round trip (the caller holds no wallet lock between statements). */
export async function callTransfer(db: Db, t: TransferCall): Promise<{ transferId: bigint | null; createdAt: Date | null; replayed: boolean; refusal: string | null; refusedPurse: string | null }> {
  const row = await queryOne<{ transferId: bigint | null; createdAt: Date | null; replayed: boolean; refusal: string | null; refusedPurse: string | null }>(db,
    `select transfer_id as "transferId", created_at as "createdAt", replayed, refusal, refused_purse as "refusedPurse"
     from tp_transfer(?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?::jsonb)`,
    [t.key, t.kind, t.currency, t.mode, t.at, JSON.stringify(t.metadata ?? {}), legsJson(t.legs),
      JSON.stringify(Object.fromEntries([...(t.releaseHeld ?? new Map())].map(([purse, amount]) => [purse, String(amount)]))),
      JSON.stringify((t.entries ?? []).map(entryJson))]);
  return row!;
}

export function legsJson(legs: { purse: string; amount: Minor }[]): string {
  return JSON.stringify(legs.map((l) => ({ purse: l.purse, amount: String(l.amount) })));
}

/** A balance transaction as tp_write_entries reads it; its id is made here. */
export function entryJson(e: BalanceEntry) {
  return {
    id: newId('txn'), purse: e.purse, type: e.type, amount: String(e.amount), fee: String(e.fee), source: e.source,
    delayed: e.delayed, available_from: e.availableFrom.toISOString(), payout_id: e.payoutId ?? null,
  };
}

export async function findTransferByKey(db: Db, key: string): Promise<Transfer | undefined> {
  return queryOne(db, `select ${TRANSFER} from transfers where key = ?`, [key]);
}

export async function listPostingsOfTransfer(db: Db, transferId: bigint): Promise<Posting[]> {
  return query(db, `select ${POSTING} from postings where transfer_id = ? order by id`, [transferId]);
}

/** The fee wallet account a transfer credited (docs/merchant-guide.md#fees), if it charged a fee. */
export async function findFeeAccountOfTransfer(db: Db, transferId: bigint): Promise<string | undefined> {
  const row = await queryOne<{ purse: string }>(db,
    `select p.purse from postings p join wallets w on w.purse = p.purse where p.transfer_id = ? and w.kind = 'fees' and p.amount > 0`, [transferId]);
  return row?.purse;
}

/** A transfer number drawn before the transfer exists: the Result is signed with it (tp_confirm writes the transfer under it). */
export async function nextTransferId(db: Db): Promise<bigint> {
  return (await queryOne<{ id: bigint }>(db, `select nextval('transfers_id_seq') as id`))!.id;
}
