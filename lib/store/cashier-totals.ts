import { queryOne, query, type Db } from '../postgres/db.js';
import type { Currency } from '../domain/currency.js';
import type { Minor } from '../domain/money.js';

/**
 * The cashier's cash-in so far on `day` (UTC) in a currency, its row locked until the caller's
 * transaction ends: a second cash-in of the same cashier waits here, then sees the first one's total.
 */
export async function lockCashierDay(db: Db, k: { cashierId: string; currency: Currency; day: string }): Promise<Minor> {
  const row = await queryOne<{ total: Minor }>(db,
    `insert into cashier_day_totals (cashier_id, currency, day, total) values (?, ?, ?::date, 0)
     on conflict (cashier_id, currency, day) do update set total = cashier_day_totals.total returning total`,
    [k.cashierId, k.currency, k.day]);
  return row!.total;
}

export async function addToCashierDay(db: Db, k: { cashierId: string; currency: Currency; day: string }, amount: Minor): Promise<void> {
  await query(db, `update cashier_day_totals set total = total + ? where cashier_id = ? and currency = ? and day = ?::date`, [amount, k.cashierId, k.currency, k.day]);
}
