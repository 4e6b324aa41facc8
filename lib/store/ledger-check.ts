import type { Db } from '../postgres/db.js';

export type LedgerProblems = {
  unbalancedTransfers: { transferId: string; sum: string; postings: number }[];
  balanceMismatches: { purse: string; balance: string; postingsSum: string }[];
  brokenRunningBalances: { purse: string; postingId: string; balanceAfter: string; expected: string }[];
  negativeWallets: { purse: string; kind: string; balance: string }[];
  heldMismatches: { purse: string; held: string; activeHolds: string }[];
  currencyTotals: { currency: string; mode: string; total: string }[];
  /** docs/merchant-guide.md#balance-payouts-and-statements: Σ fees charged − fees returned = the fee wallet's balance (all its accounts), per currency and mode. */
  feeMismatches: { currency: string; mode: string; feeWallet: string; feesKept: string }[];
  /** docs/merchant-guide.md#balance-payouts-and-statements: each payouts clearing wallet holds exactly the pending payouts of its currency and mode. */
  clearingMismatches: { currency: string; mode: string; clearingWallet: string; pendingPayouts: string }[];
  /** docs/merchant-guide.md#balance-payouts-and-statements: Σ net of a merchant wallet's balance transactions is its balance. */
  balanceTransactionMismatches: { purse: string; balance: string; transactionsNet: string }[];
  /** docs/operator-guide.md#vouchers-and-cash-in: each voucher float wallet holds exactly the active vouchers of its currency and mode. */
  voucherFloatMismatches: { currency: string; mode: string; floatWallet: string; activeVouchers: string }[];
};

type Rows = { rows: never[] };

/** Every invariant of the double-entry ledger, recomputed from the postings themselves. */
export async function findLedgerProblems(db: Db, onProgress?: (done: number, total: number) => void): Promise<LedgerProblems> {
  let done = 0;
  // each check reports when it ends (ledger:check's progress on a large ledger)
  const tick = <T>(check: Promise<T>, _i: number, all: unknown[]) => check.then((r) => (onProgress?.(++done, all.length), r));
  const [unbalanced, mismatches, running, negative, held, totals, fees, clearing, txns, float] = await Promise.all(([
    db.raw(`
      select t.id::text as "transferId", coalesce(sum(p.amount), 0)::text as sum, count(p.id)::int as postings
      from transfers t left join postings p on p.transfer_id = t.id
      group by t.id having coalesce(sum(p.amount), 0) <> 0 or count(p.id) < 2
      order by t.id limit 100`),
    db.raw(`
      select w.purse, w.balance::text as balance, coalesce(s.total, 0)::text as "postingsSum"
      from wallets w left join (select purse, sum(amount) as total from postings group by purse) s on s.purse = w.purse
      where w.balance <> coalesce(s.total, 0)
      order by w.purse limit 100`),
    db.raw(`
      select purse, id::text as "postingId", balance_after::text as "balanceAfter", expected::text as expected
      from (select purse, id, balance_after, sum(amount) over (partition by purse order by id) as expected from postings) r
      where balance_after <> expected
      order by purse, id limit 100`),
    db.raw(`
      select purse, kind, balance::text as balance from wallets
      where kind <> 'system' and balance < 0 order by purse limit 100`),
    db.raw(`
      select w.purse, w.held::text as held, coalesce(h.total, 0)::text as "activeHolds"
      from wallets w left join (select purse, sum(amount) as total from holds where status = 'active' group by purse) h
        on h.purse = w.purse
      where w.held <> coalesce(h.total, 0)
      order by w.purse limit 100`),
    db.raw(`
      select currency, mode, sum(balance)::text as total from wallets
      group by currency, mode having sum(balance) <> 0 order by currency, mode`),
    db.raw(`
      select coalesce(w.currency, p.currency) as currency, coalesce(w.mode, p.mode) as mode,
             coalesce(w.balance, 0)::text as "feeWallet", coalesce(p.kept, 0)::text as "feesKept"
      from (select currency, mode, sum(balance) as balance from wallets where kind = 'fees' group by currency, mode) w
      full join (select currency, mode, sum(fee - fee_returned) as kept from payments group by currency, mode having sum(fee - fee_returned) <> 0) p
        on p.currency = w.currency and p.mode = w.mode
      where coalesce(w.balance, 0) <> coalesce(p.kept, 0)
      order by 1, 2`),
    db.raw(`
      select coalesce(w.currency, p.currency) as currency, coalesce(w.mode, p.mode) as mode,
             coalesce(w.balance, 0)::text as "clearingWallet", coalesce(p.total, 0)::text as "pendingPayouts"
      from (select currency, mode, balance from wallets where kind = 'clearing') w
      full join (select currency, mode, sum(amount) as total from payouts where status = 'pending' group by currency, mode) p
        on p.currency = w.currency and p.mode = w.mode
      where coalesce(w.balance, 0) <> coalesce(p.total, 0)
      order by 1, 2`),
    db.raw(`
      select w.purse, w.balance::text as balance, coalesce(b.net, 0)::text as "transactionsNet"
      from wallets w left join (select purse, sum(net) as net from balance_transactions group by purse) b on b.purse = w.purse
      where w.kind = 'merchant' and w.balance <> coalesce(b.net, 0)
      order by w.purse limit 100`),
    db.raw(`
      select coalesce(w.currency, v.currency) as currency, coalesce(w.mode, v.mode) as mode,
             coalesce(w.balance, 0)::text as "floatWallet", coalesce(v.total, 0)::text as "activeVouchers"
      from (select currency, mode, balance from wallets where kind = 'vouchers') w
      full join (select currency, mode, sum(amount) as total from vouchers where status = 'active' group by currency, mode) v
        on v.currency = w.currency and v.mode = w.mode
      where coalesce(w.balance, 0) <> coalesce(v.total, 0)
      order by 1, 2`),
  ] as Promise<Rows>[]).map(tick)) as [Rows, Rows, Rows, Rows, Rows, Rows, Rows, Rows, Rows, Rows];
  return {
    unbalancedTransfers: unbalanced.rows,
    balanceMismatches: mismatches.rows,
    brokenRunningBalances: running.rows,
    negativeWallets: negative.rows,
    heldMismatches: held.rows,
    currencyTotals: totals.rows,
    feeMismatches: fees.rows,
    clearingMismatches: clearing.rows,
    balanceTransactionMismatches: txns.rows,
    voucherFloatMismatches: float.rows,
  };
}

export async function countLedger(db: Db): Promise<{ wallets: number; transfers: number; postings: number }> {
  const { rows } = await db.raw(`
    select (select count(*) from wallets)::int as wallets,
           (select count(*) from transfers)::int as transfers,
           (select count(*) from postings)::int as postings`);
  return rows[0];
}

/** Succeeded payments that do not have exactly one debit of the buyer (should be none). */
export async function paymentsWithoutSingleDebit(db: Db): Promise<string[]> {
  const { rows } = await db.raw(`
    select p.id from payments p
    where p.status = 'succeeded'
      and (select count(*) from postings po join transfers t on t.id = po.transfer_id
           where t.key = 'payment:' || p.id and po.amount < 0) <> 1
    limit 100`);
  return rows.map((r: { id: string }) => r.id);
}
