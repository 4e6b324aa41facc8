import { query, queryOne, type Db } from '../postgres/db.js';
import type { Mode } from '../domain/ledger.js';
import type { MerchantId } from '../domain/ids.js';
import type { Currency } from '../domain/currency.js';
import type { Minor } from '../domain/money.js';

export type MovementSums = { currency: Currency; sales: Minor; refunds: Minor; fees: Minor };
export type DaySums = { day: string; currency: Currency; sales: Minor; refunds: Minor };

// sales and fees of payments, refunds as a positive amount, fees net of what refunds gave back (docs/merchant-guide.md#balance-payouts-and-statements)
const SUMS = `coalesce(sum(amount) filter (where type = 'payment'), 0)::bigint as sales,
  coalesce(-sum(amount) filter (where type = 'refund'), 0)::bigint as refunds,
  (coalesce(sum(fee) filter (where type = 'payment'), 0) - coalesce(sum(amount) filter (where type = 'fee_refund'), 0))::bigint as fees`;

// only the purses of one mode when it is given (docs/merchant-guide.md#test-mode)
const OF_MODE = `(?::text is null or b.purse in (select w.purse from wallets w where w.merchant_id = ? and w.kind = 'merchant' and w.mode = ?))`;

/** Sales, refunds and fees of the merchant's purses since `since`, per currency. */
export async function movementSums(db: Db, merchantId: MerchantId, since: Date, mode?: Mode): Promise<MovementSums[]> {
  return query(db,
    `select b.currency, ${SUMS} from balance_transactions b
     where b.merchant_id = ? and b.created_at >= ? and ${OF_MODE} group by b.currency order by b.currency`, [merchantId, since, mode ?? null, merchantId, mode ?? null]);
}

/** The same per UTC day, for the overview's chart. */
export async function dailySums(db: Db, merchantId: MerchantId, since: Date, mode?: Mode): Promise<DaySums[]> {
  return query(db,
    `select to_char(date_trunc('day', b.created_at at time zone 'UTC'), 'YYYY-MM-DD') as day, b.currency,
       coalesce(sum(b.amount) filter (where b.type = 'payment'), 0)::bigint as sales, coalesce(-sum(b.amount) filter (where b.type = 'refund'), 0)::bigint as refunds
     from balance_transactions b
     where b.merchant_id = ? and b.created_at >= ? and ${OF_MODE} group by 1, 2 order by 1, 2`, [merchantId, since, mode ?? null, merchantId, mode ?? null]);
}

/** Results and webhooks of the merchant that failed at least once and are still retried, or gave up. */
export async function failingNotifications(db: Db, merchantId: MerchantId): Promise<{ retrying: number; dead: number }> {
  const row = await queryOne<{ retrying: string; dead: string }>(db,
    `select count(*) filter (where status = 'pending') as retrying, count(*) filter (where status = 'dead') as dead
     from notifications where merchant_id = ? and (status = 'dead' or (status = 'pending' and attempts > 0))`, [merchantId]);
  return { retrying: Number(row?.retrying ?? 0), dead: Number(row?.dead ?? 0) };
}
