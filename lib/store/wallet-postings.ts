import { query, type Db } from '../postgres/db.js';
import type { WalletEntry } from '../domain/wallet-entry.js';

/** Where a page of a wallet's movements starts: below `before` (older) or above `after` (newer) a posting id; neither, the latest. */
export type EntriesFrom = { before?: bigint; after?: bigint };

/**
 * A wallet's movements, newest first (the console's wallet desk shows a page of them): a keyset page on postings_by_purse
 * (purse, id), read from its newest end, or from its older end when paging `after` an id, then put newest first again.
 */
export async function listEntriesOfPurse(db: Db, purse: string, limit: number, from: EntriesFrom = {}): Promise<WalletEntry[]> {
  const newer = from.after !== undefined;
  return query(db,
    `select * from (
       select p.id, p.transfer_id as "transferId", t.kind, p.amount, p.balance_after as "balanceAfter", p.created_at as at,
         t.metadata->>'payment' as "paymentId"
       from postings p join transfers t on t.id = p.transfer_id
       where p.purse = ? and p.id < coalesce(?::bigint, 9223372036854775807) and p.id > coalesce(?::bigint, 0)
       order by p.id ${newer ? 'asc' : 'desc'} limit ?
     ) page order by id desc`,
    [purse, from.before ?? null, from.after ?? null, limit]);
}

export type TopUpSlipRow = { transferId: bigint; purse: string; currency: string; amount: bigint; at: Date; phone: string | null; operatorId: string | null; operatorEmail: string | null };

/** A console top-up or cash-in: the credited wallet and the operator the console's audit names (the slip of docs/operator-guide.md#operator-console). */
export async function findTopUpSlip(db: Db, transferId: bigint): Promise<TopUpSlipRow | undefined> {
  const rows = await query<TopUpSlipRow>(db,
    `select t.id as "transferId", p.purse, t.currency, p.amount, t.created_at as at, w.phone, a.user_id as "operatorId", a.email as "operatorEmail"
     from transfers t
     join postings p on p.transfer_id = t.id and p.amount > 0
     join wallets w on w.purse = p.purse
     join audit_log a on a.audience = 'console' and a.action in ('wallet.topup', 'wallet.cash_in') and a.details->>'transfer_id' = t.id::text
     where t.id = ? and t.kind = 'topup'`,
    [transferId]);
  return rows[0];
}
