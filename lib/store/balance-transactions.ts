import { query, queryOne, type Db } from '../postgres/db.js';
import type { Mode } from '../domain/ledger.js';
import type { Minor } from '../domain/money.js';
import type { BalanceTransactionType, BalanceTransaction } from '../domain/balance.js';
import type { BalanceTransactionId, MerchantId, PayoutId } from '../domain/ids.js';

const COLUMNS = `id, purse, merchant_id as "merchantId", type, currency, amount, fee, net, source, transfer_id as "transferId",
  created_at as "createdAt", available_on as "availableOn", payout_id as "payoutId", seq`;

/** The wallet's transactions no payout has settled yet and that are available at `now`, oldest first (caller holds the wallet lock). */
export async function listPayable(db: Db, purse: string, now: Date): Promise<{ id: BalanceTransactionId; net: Minor }[]> {
  return query(db,
    `select id, net from balance_transactions where purse = ? and payout_id is null and available_on <= ? order by available_on, seq`,
    [purse, now],
  );
}

export async function settle(db: Db, ids: BalanceTransactionId[], payoutId: PayoutId): Promise<number> {
  const rows = await query(db, `update balance_transactions set payout_id = ? where id = any(?) and payout_id is null returning id`, [payoutId, ids]);
  return rows.length;
}

/** Σ net of the unsettled transactions of each purse, split into available at `now` and pending. */
export async function unsettledSums(db: Db, purses: string[], now: Date): Promise<Map<string, { available: Minor; pending: Minor }>> {
  const rows = await query<{ purse: string; available: Minor; pending: Minor }>(db,
    `select purse, coalesce(sum(net) filter (where available_on <= ?), 0)::bigint as available,
            coalesce(sum(net) filter (where available_on > ?), 0)::bigint as pending
     from balance_transactions where purse = any(?) and payout_id is null group by purse`,
    [now, now, purses],
  );
  return new Map(rows.map((r) => [r.purse, { available: r.available, pending: r.pending }]));
}

export type BalanceTransactionFilter = {
  merchantId: MerchantId;
  /** Only the purses of this mode (docs/merchant-guide.md#test-mode). */
  mode?: Mode;
  purse?: string;
  type?: BalanceTransactionType;
  payoutId?: PayoutId;
  createdFrom?: Date;
  createdTo?: Date;
  beforeSeq?: bigint;
  limit: number;
};

/**
 * Newest first. With a payout, the transactions it settled (its statement): the payout's own
 * `payout` transaction is not one of them.
 */
export async function listBalanceTransactions(db: Db, f: BalanceTransactionFilter): Promise<BalanceTransaction[]> {
  return query(db,
    `select ${COLUMNS} from balance_transactions
     where merchant_id = ? and purse = coalesce(?, purse) and type = coalesce(?, type)
       and (?::text is null or purse in (select w.purse from wallets w where w.merchant_id = ? and w.kind = 'merchant' and w.mode = ?))
       and (?::text is null or (payout_id = ? and type <> 'payout'))
       and created_at >= coalesce(?::timestamptz, created_at) and created_at < coalesce(?::timestamptz, 'infinity')
       and seq < coalesce(?::bigint, 9223372036854775807)
     order by seq desc limit ?`,
    [f.merchantId, f.purse ?? null, f.type ?? null, f.mode ?? null, f.merchantId, f.mode ?? null, f.payoutId ?? null, f.payoutId ?? null, f.createdFrom ?? null, f.createdTo ?? null, f.beforeSeq ?? null, f.limit],
  );
}

/** A payout's statement, oldest first: every transaction it settled. */
export async function listSettledBy(db: Db, payoutId: PayoutId): Promise<BalanceTransaction[]> {
  return query(db, `select ${COLUMNS} from balance_transactions where payout_id = ? and type <> 'payout' order by available_on, seq`, [payoutId]);
}

export async function findBalanceTransaction(db: Db, id: string): Promise<BalanceTransaction | undefined> {
  return queryOne(db, `select ${COLUMNS} from balance_transactions where id = ?`, [id]);
}
