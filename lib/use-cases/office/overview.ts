import type { Deps } from '../shared/deps.js';
import type { Mode } from '../../domain/ledger.js';
import { movementSums, dailySums, failingNotifications, type DaySums, type MovementSums } from '../../store/merchant-overview.js';
import { findMerchant } from '../../store/merchants.js';
import { readBalance } from '../payouts/read-balance.js';
import { nextPeriodStart } from '../../domain/balance.js';
import { DAY_MS } from '../../domain/time.js';
import type { Currency } from '../../domain/currency.js';
import type { MerchantId } from '../../domain/ids.js';
import type { Minor } from '../../domain/money.js';

export const CHART_DAYS = 30;

export type CurrencyOverview = {
  currency: Currency;
  today: Omit<MovementSums, 'currency'>;
  month: Omit<MovementSums, 'currency'>;
  balance: Minor;
  payable: Minor;
  /** The last 30 UTC days, oldest first, every day present. */
  days: { day: string; sales: Minor; refunds: Minor }[];
};

const ZERO = { sales: 0n, refunds: 0n, fees: 0n };

function series(rows: DaySums[], currency: Currency, now: Date) {
  const byDay = new Map(rows.filter((r) => r.currency === currency).map((r) => [r.day, r]));
  return Array.from({ length: CHART_DAYS }, (_, i) => {
    const day = new Date(now.getTime() - (CHART_DAYS - 1 - i) * DAY_MS).toISOString().slice(0, 10);
    const found = byDay.get(day);
    return { day, sales: found?.sales ?? 0n, refunds: found?.refunds ?? 0n };
  });
}

/**
 * The office's overview (docs/merchant-guide.md#back-office "Running the shop alone"): today's and this month's sales, refunds and fees
 * per currency of the merchant's purses, the balance, the next payout and failing notifications.
 */
export async function readOverview(deps: Pick<Deps, 'db' | 'clock'>, merchantId: MerchantId, mode?: Mode) {
  const now = deps.clock.now();
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const chartFrom = new Date(today.getTime() - (CHART_DAYS - 1) * DAY_MS);
  const since = chartFrom < month ? chartFrom : month;
  const [todays, months, days, balances, merchant, failing] = await Promise.all([
    movementSums(deps.db, merchantId, today, mode), movementSums(deps.db, merchantId, month, mode), dailySums(deps.db, merchantId, since, mode),
    readBalance(deps, merchantId, mode), findMerchant(deps.db, merchantId), failingNotifications(deps.db, merchantId),
  ]);
  const currencies = [...new Set([...balances.map((b) => b.currency), ...months.map((m) => m.currency)])].sort();
  const perCurrency: CurrencyOverview[] = currencies.map((currency) => {
    const purses = balances.filter((b) => b.currency === currency);
    const strip = (m?: MovementSums) => (m ? { sales: m.sales, refunds: m.refunds, fees: m.fees } : ZERO);
    return {
      currency, today: strip(todays.find((m) => m.currency === currency)), month: strip(months.find((m) => m.currency === currency)),
      balance: purses.reduce((s, b) => s + b.balance, 0n), payable: purses.reduce((s, b) => s + b.payable, 0n),
      days: series(days.filter((d) => d.day >= chartFrom.toISOString().slice(0, 10)), currency, now),
    };
  });
  const schedule = merchant?.payoutSchedule ?? 'manual';
  return {
    currencies: perCurrency,
    nextPayout: { schedule, minimum: merchant?.payoutMinimum ?? 0n, at: schedule === 'manual' ? null : nextPeriodStart(schedule, now) },
    failing,
  };
}
