import { query, queryOne, type Db } from '../postgres/db.js';
import type { Mode } from '../domain/ledger.js';
import type { Minor } from '../domain/money.js';
import type { PayoutSchedule } from '../domain/balance.js';
import type { MerchantId, PayoutId } from '../domain/ids.js';
import type { PayoutStatus, Payout } from '../domain/payout.js';

const COLUMNS = `id, merchant_id as "merchantId", shop_id as "shopId", purse, currency, mode, amount, status, trigger, period,
  payout_account as "payoutAccount", reference, failure_reason as "failureReason", transfer_id as "transferId",
  created_at as "createdAt", paid_at as "paidAt", failed_at as "failedAt", seq`;

export type NewPayout = Pick<Payout, 'id' | 'purse' | 'amount' | 'trigger' | 'period' | 'createdAt'> & { createKey: string | null };

/**
 * Records a payout of a wallet, with the merchant's payout account as it is now (the bank pays what
 * the operator saw). A second scheduled payout of the same wallet and period inserts nothing.
 */
export async function insertPayout(db: Db, p: NewPayout): Promise<Payout | undefined> {
  return queryOne(db,
    `insert into payouts (id, merchant_id, shop_id, purse, currency, mode, amount, trigger, period, payout_account, create_key, created_at)
     select ?, w.merchant_id, w.shop_id, w.purse, w.currency, w.mode, ?, ?, ?, m.payout_account, ?, ?
     from wallets w join merchants m on m.id = w.merchant_id where w.purse = ?
     on conflict (purse, period) where period is not null do nothing
     returning ${COLUMNS}`,
    [p.id, p.amount, p.trigger, p.period, p.createKey, p.createdAt, p.purse],
  );
}

export async function setPayoutTransfer(db: Db, id: PayoutId, transferId: bigint): Promise<void> {
  await query(db, `update payouts set transfer_id = ? where id = ?`, [transferId, id]);
}

/** The payout a request with this Idempotency-Key made of this wallet, if one did. */
export async function findPayoutByKey(db: Db, purse: string, createKey: string): Promise<Payout | undefined> {
  return queryOne(db, `select ${COLUMNS} from payouts where purse = ? and create_key = ?`, [purse, createKey]);
}

export async function findPayout(db: Db, id: string): Promise<Payout | undefined> {
  return queryOne(db, `select ${COLUMNS} from payouts where id = ?`, [id]);
}

export async function lockPayout(db: Db, id: string): Promise<Payout | undefined> {
  return queryOne(db, `select ${COLUMNS} from payouts where id = ? for update`, [id]);
}

/** Ends a pending payout; nothing comes back when it was not pending (paid or failed already). */
export async function endPayout(
  db: Db, id: PayoutId, end: { status: 'paid'; reference: string; at: Date; transferId: bigint } | { status: 'failed'; reason: string; at: Date; transferId: bigint },
): Promise<Payout | undefined> {
  return queryOne(db,
    `update payouts set status = ?, reference = ?, failure_reason = ?, paid_at = ?, failed_at = ?, settle_transfer_id = ?
     where id = ? and status = 'pending' returning ${COLUMNS}`,
    [end.status, end.status === 'paid' ? end.reference : null, end.status === 'failed' ? end.reason : null,
      end.status === 'paid' ? end.at : null, end.status === 'failed' ? end.at : null, end.transferId, id],
  );
}

export type PayoutFilter = { merchantId?: MerchantId; mode?: Mode; purse?: string; status?: PayoutStatus; beforeSeq?: bigint; limit: number };

/** Newest first. */
export async function listPayouts(db: Db, f: PayoutFilter): Promise<Payout[]> {
  return query(db,
    `select ${COLUMNS} from payouts
     where merchant_id = coalesce(?, merchant_id) and mode = coalesce(?, mode) and purse = coalesce(?, purse) and status = coalesce(?, status)
       and seq < coalesce(?::bigint, 9223372036854775807)
     order by seq desc limit ?`,
    [f.merchantId ?? null, f.mode ?? null, f.purse ?? null, f.status ?? null, f.beforeSeq ?? null, f.limit],
  );
}

/**
 * The bank's list: every live payout of a status with the merchant's name, oldest first (no paging: the CSV is the whole list).
 * Test payouts never reach a bank (docs/merchant-guide.md#test-mode): the operator settles them through the API.
 */
export async function listPayoutsForBank(db: Db, status: PayoutStatus): Promise<(Payout & { merchantName: string })[]> {
  return query(db,
    `select x.*, m.name as "merchantName"
     from (select ${COLUMNS} from payouts where status = ? and mode = 'live') x join merchants m on m.id = x."merchantId" order by x.seq`,
    [status],
  );
}

/**
 * Merchant wallets a scheduled run at `now` should look at: the merchant is active and on a
 * schedule, the wallet has money available and unsettled, and no payout of this period exists yet.
 */
export async function listWalletsDueForPayout(db: Db, now: Date, periods: Record<Exclude<PayoutSchedule, 'manual'>, string>): Promise<{ purse: string; minimum: Minor; period: string }[]> {
  return query(db,
    `select w.purse, m.payout_minimum as minimum,
            case m.payout_schedule when 'daily' then ?::text when 'weekly' then ?::text else ?::text end as period
     from wallets w join merchants m on m.id = w.merchant_id
     where w.kind = 'merchant' and m.status = 'active' and m.payout_schedule <> 'manual'
       -- a live merchant's test purses pay out only when asked (docs/merchant-guide.md#test-mode); a test merchant's run as before
       and (w.mode = 'live' or m.mode = 'test')
       and exists (select 1 from balance_transactions b where b.purse = w.purse and b.payout_id is null and b.available_on <= ?)
       and not exists (select 1 from payouts p where p.purse = w.purse
                       and p.period = case m.payout_schedule when 'daily' then ?::text when 'weekly' then ?::text else ?::text end)
     order by w.purse`,
    [periods.daily, periods.weekly, periods.monthly, now, periods.daily, periods.weekly, periods.monthly],
  );
}
