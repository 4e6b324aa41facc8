import { query, queryOne, type Db } from '../postgres/db.js';

/**
 * Counts a sign-in try of a key (an audience and e-mail) before it is checked (docs/merchant-guide.md#back-office "Sign-in under load"), in one
 * upsert that holds the e-mail's row: tries older than `since` are dropped, and the try is taken only
 * when the e-mail is not locked and fewer than `limit` tries are in the window; the one that fills it
 * locks the e-mail until `lockEnd` at once. Undefined: refused, with the lock's end (or null while
 * tries still being checked fill the window).
 */
export async function takeTry(db: Db, t: { key: string; now: Date; since: Date; lockEnd: Date; limit: number }): Promise<{ taken: true } | { taken: false; lockedUntil: Date | null }> {
  const recent = `(select count(*) from unnest(g.tries) t where t > ?::timestamptz)`;
  const taken = await queryOne(db,
    `insert into sign_in_tries as g (key, tries, locked_until) values (?, array[?::timestamptz], case when ? <= 1 then ?::timestamptz end)
     on conflict (key) do update set
       tries = array(select t from unnest(g.tries) t where t > ?::timestamptz order by t) || ?::timestamptz,
       locked_until = case when ${recent} + 1 >= ? then ?::timestamptz end
     where (g.locked_until is null or g.locked_until <= ?::timestamptz) and ${recent} < ?
     returning 1`,
    [t.key, t.now, t.limit, t.lockEnd, t.since, t.now, t.since, t.limit, t.lockEnd, t.now, t.since, t.limit]);
  if (taken) return { taken: true };
  const row = await queryOne<{ lockedUntil: Date | null }>(db, `select locked_until as "lockedUntil" from sign_in_tries where key = ?`, [t.key]);
  return { taken: false, lockedUntil: row?.lockedUntil && row.lockedUntil > t.now ? row.lockedUntil : null };
}

/** A try that turned out right is no failure: one try taken at `at` is given back, and the lock it set with it lifted. */
export async function giveBackTry(db: Db, t: { key: string; at: Date; since: Date; limit: number }): Promise<void> {
  await query(db,
    `update sign_in_tries set
       tries = tries[1:array_position(tries, ?::timestamptz) - 1] || tries[array_position(tries, ?::timestamptz) + 1:],
       locked_until = case when (select count(*) from unnest(tries) t where t > ?::timestamptz) - 1 < ? then null else locked_until end
     where key = ? and array_position(tries, ?::timestamptz) is not null`,
    [t.at, t.at, t.since, t.limit, t.key, t.at]);
}

/** The operator lifts an e-mail's sign-in lock: its tries so far no longer count. */
export async function clearTries(db: Db, key: string): Promise<void> {
  await query(db, `delete from sign_in_tries where key = ?`, [key]);
}

/** Rows whose every try is older than `before` and whose lock is over. */
export async function deleteLapsedTries(db: Db, before: Date): Promise<number> {
  const rows = await query(db,
    `delete from sign_in_tries where (locked_until is null or locked_until < ?) and not exists (select 1 from unnest(tries) t where t >= ?) returning 1`,
    [before, before]);
  return rows.length;
}

export async function lockedUntil(db: Db, key: string, now: Date): Promise<Date | undefined> {
  const row = await queryOne<{ lockedUntil: Date | null }>(db, `select locked_until as "lockedUntil" from sign_in_tries where key = ? and locked_until > ?`, [key, now]);
  return row?.lockedUntil ?? undefined;
}
