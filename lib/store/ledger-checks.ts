import { query, queryOne, type Db } from '../postgres/db.js';

export type LedgerCheckRecord = { checkedAt: Date; ok: boolean; problems: number };

/** Each full ledger check leaves its outcome, for the console's overview. */
export async function insertLedgerCheck(db: Db, c: LedgerCheckRecord): Promise<void> {
  await query(db, `insert into ledger_checks (checked_at, ok, problems) values (?, ?, ?)`, [c.checkedAt, c.ok, c.problems]);
}

export async function lastLedgerCheck(db: Db): Promise<LedgerCheckRecord | undefined> {
  return queryOne<LedgerCheckRecord>(db, `select checked_at as "checkedAt", ok, problems from ledger_checks order by id desc limit 1`);
}
