import { query, queryOne, type Db } from '../postgres/db.js';
import type { Currency } from '../domain/currency.js';
import type { Mode, PlannedPosting, Transfer, Posting } from '../domain/ledger.js';
import type { Minor } from '../domain/money.js';
import type { BalanceEntry } from '../domain/balance.js';
import type { BalanceTransactionId } from '../domain/ids.js';

const TRANSFER = `id, key, kind, currency, mode, created_at as "createdAt", metadata`;
const POSTING = `id, transfer_id as "transferId", purse, amount, balance_after as "balanceAfter", created_at as "createdAt"`;

/**
 * Writes a whole transfer in one statement: the transfer (unless its key exists), its postings, the
 * wallets' new balances and the balance transactions explaining its merchant wallets (docs/merchant-guide.md#balance-payouts-and-statements;
 * their merchant, currency and payout delay come from the wallets' own rows). When the key exists
 * nothing is written and nothing comes back: the caller replays the first outcome. One round trip
 * matters here: the caller holds the wallet locks, and a hot merchant wallet waits for every
 * statement made under them.
 */
export async function writeTransfer(
  db: Db,
  t: { key: string; kind: string; currency: Currency; mode: Mode; createdAt: Date; metadata: Record<string, unknown> },
  postings: PlannedPosting[],
  balances: Map<string, { balance: Minor; held: Minor }>,
  entries: { id: BalanceTransactionId; entry: BalanceEntry }[] = [],
): Promise<Transfer | undefined> {
  const postingRows = postings.map((_, i) => `(${i}, ?::text, ?::bigint, ?::bigint)`).join(', ');
  const balanceRows = [...balances].map(() => '(?::text, ?::bigint, ?::bigint)').join(', ');
  const entryRows = entries.map((_, i) => `(${i}, ?::text, ?::text, ?::text, ?::bigint, ?::bigint, ?::text, ?::boolean, ?::timestamptz, ?::text)`).join(', ');
  const row = await queryOne<Transfer & { entriesWritten: number }>(
    db,
    `with t as (
       insert into transfers (key, kind, currency, mode, created_at, metadata) values (?, ?, ?, ?, ?, ?)
       on conflict (key) do nothing returning ${TRANSFER}),
     p as (
       insert into postings (transfer_id, purse, amount, balance_after, created_at)
       select t.id, v.purse, v.amount, v.balance_after, t."createdAt" from t, (values ${postingRows}) as v (ord, purse, amount, balance_after)
       order by v.ord),
     w as (
       update wallets set balance = v.balance, held = v.held from t, (values ${balanceRows}) as v (purse, balance, held)
       where wallets.purse = v.purse)${entries.length ? `,
     b as (
       insert into balance_transactions (id, purse, merchant_id, type, currency, amount, fee, net, source, transfer_id, created_at, available_on, payout_id)
       select e.id, wl.purse, wl.merchant_id, e.type, wl.currency, e.amount, e.fee, e.amount - e.fee, e.source, t.id, t."createdAt",
              case when e.delayed then e.available_from + make_interval(days => m.payout_delay_days) else t."createdAt" end, e.payout_id
       from t, (values ${entryRows}) as e (ord, id, purse, type, amount, fee, source, delayed, available_from, payout_id)
         join wallets wl on wl.purse = e.purse join merchants m on m.id = wl.merchant_id
       order by e.ord
       returning 1)` : ''}
     select t.*, ${entries.length ? '(select count(*) from b)::int' : '0'} as "entriesWritten" from t`,
    [
      t.key, t.kind, t.currency, t.mode, t.createdAt, JSON.stringify(t.metadata),
      ...postings.flatMap((p) => [p.purse, p.amount, p.balanceAfter]),
      ...[...balances].flatMap(([purse, b]) => [purse, b.balance, b.held]),
      ...entries.flatMap(({ id, entry: e }) => [id, e.purse, e.type, e.amount, e.fee, e.source, e.delayed, e.availableFrom, e.payoutId ?? null]),
    ],
  );
  if (!row) return undefined;
  const { entriesWritten, ...transfer } = row;
  if (entriesWritten !== entries.length) throw new Error(`transfer ${t.key}: a wallet of its balance transactions has no merchant`);
  return transfer;
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
