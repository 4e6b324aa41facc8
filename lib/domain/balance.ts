import type { Minor } from './money.js';
import type { PayoutId, BalanceTransactionId, MerchantId } from './ids.js';
import type { Currency } from './currency.js';

/** docs/merchant-guide.md#balance-payouts-and-statements: what moved a merchant wallet. */
export const BALANCE_TRANSACTION_TYPES = ['payment', 'refund', 'fee_refund', 'payout', 'payout_failure', 'adjustment'] as const;
export type BalanceTransactionType = (typeof BALANCE_TRANSACTION_TYPES)[number];

/**
 * One balance transaction to write with a transfer. `amount` and `fee` are signed as the merchant
 * sees them (a refund is negative); net = amount − fee. A credit of a sale (`delayed`) becomes
 * available `payout_delay_days` after `availableFrom` (when the payment was paid); anything else at once.
 */
export type BalanceEntry = {
  purse: string;
  type: BalanceTransactionType;
  amount: Minor;
  fee: Minor;
  source: string;
  availableFrom: Date;
  delayed: boolean;
  /** Only the payout's own transaction: it belongs to its payout from the start, so it is never paid out. */
  payoutId?: PayoutId;
};

export function netOf(entry: Pick<BalanceEntry, 'amount' | 'fee'>): Minor {
  return entry.amount - entry.fee;
}

export type PayableCandidate<Id> = { id: Id; net: Minor };

/**
 * Which unsettled, available transactions one payout settles (docs/merchant-guide.md#balance-payouts-and-statements): all of them, unless their
 * sum exceeds what the wallet can spare (balance − held, money a refund or hold needs); then every
 * debit and the oldest credits that fit. The payout's amount is the sum of what is chosen, exactly.
 * Candidates come oldest first.
 */
export function choosePayoutTransactions<Id>(candidates: PayableCandidate<Id>[], spare: Minor): { chosen: Id[]; amount: Minor } {
  const total = candidates.reduce((sum, c) => sum + c.net, 0n);
  if (total <= spare) return { chosen: candidates.map((c) => c.id), amount: total };
  const debits = candidates.filter((c) => c.net <= 0n);
  let amount = debits.reduce((sum, c) => sum + c.net, 0n);
  const chosen = debits.map((c) => c.id);
  for (const credit of candidates.filter((c) => c.net > 0n)) {
    if (amount + credit.net > spare) break;
    amount += credit.net;
    chosen.push(credit.id);
  }
  return { chosen, amount };
}

export const PAYOUT_SCHEDULES = ['manual', 'daily', 'weekly', 'monthly'] as const;
export type PayoutSchedule = (typeof PAYOUT_SCHEDULES)[number];

/**
 * The period a scheduled run at `now` pays for (UTC): a day, the week starting Monday 00:00, or the
 * month starting on the 1st. A wallet gets at most one scheduled payout per period.
 */
export function payoutPeriod(schedule: Exclude<PayoutSchedule, 'manual'>, now: Date): string {
  const day = now.toISOString().slice(0, 10);
  if (schedule === 'daily') return `daily:${day}`;
  if (schedule === 'monthly') return `monthly:${day.slice(0, 7)}`;
  const sinceMonday = (now.getUTCDay() + 6) % 7;
  const monday = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - sinceMonday));
  return `weekly:${monday.toISOString().slice(0, 10)}`;
}

/** When the period after the one of `now` starts (UTC): the next scheduled payout is due then at the latest. */
export function nextPeriodStart(schedule: Exclude<PayoutSchedule, 'manual'>, now: Date): Date {
  const [y, m, d] = [now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()];
  if (schedule === 'daily') return new Date(Date.UTC(y, m, d + 1));
  if (schedule === 'monthly') return new Date(Date.UTC(y, m + 1, 1));
  return new Date(Date.UTC(y, m, d + 7 - ((now.getUTCDay() + 6) % 7)));
}

/**
 * What a merchant wallet holds, split as GET /balance shows it (docs/merchant-guide.md#balance-payouts-and-statements):
 * balance = pending + available (what no payout settled yet, refunds included, so it may be negative).
 */
export type BalanceSummary = { balance: Minor; held: Minor; pending: Minor; available: Minor; payable: Minor };

export function summarizeBalance(w: { balance: Minor; held: Minor }, unsettled: { available: Minor; pending: Minor }): BalanceSummary {
  const spare = w.balance - w.held;
  const payable = unsettled.available < spare ? unsettled.available : spare;
  return { balance: w.balance, held: w.held, pending: unsettled.pending, available: unsettled.available, payable: payable > 0n ? payable : 0n };
}

/** A sale reaching the merchant (confirm or capture): available `payout_delay_days` after it was paid. */
export function saleEntry(purse: string, s: { amount: Minor; fee: Minor; paymentId: string; paidAt: Date }): BalanceEntry {
  return { purse, type: 'payment', amount: s.amount, fee: s.fee, source: s.paymentId, availableFrom: s.paidAt, delayed: true };
}

/**
 * A refund takes its whole amount from the merchant at once; under the `return` policy the share of
 * the fee coming back is a credit of its own, available as the payment's money was.
 */
export function refundEntries(purse: string, r: { amount: Minor; feeReturn: Minor; refundId: string; paidAt: Date; at: Date }): BalanceEntry[] {
  const entries: BalanceEntry[] = [{ purse, type: 'refund', amount: -r.amount, fee: 0n, source: r.refundId, availableFrom: r.at, delayed: false }];
  if (r.feeReturn > 0n) entries.push({ purse, type: 'fee_refund', amount: r.feeReturn, fee: 0n, source: r.refundId, availableFrom: r.paidAt, delayed: true });
  return entries;
}

/** A balance transaction of a merchant wallet (lib/store/balance-transactions.ts). */
export type BalanceTransaction = {
  id: BalanceTransactionId;
  purse: string;
  merchantId: MerchantId;
  type: BalanceTransactionType;
  currency: Currency;
  amount: Minor;
  fee: Minor;
  net: Minor;
  source: string;
  transferId: bigint | null;
  createdAt: Date;
  availableOn: Date;
  payoutId: PayoutId | null;
  seq: bigint;
};
