import { query, queryOne, type Db } from '../postgres/db.js';

/**
 * One hit on a counter, atomically: a new window starts at 1, the same window adds one. Several
 * instances share the row; the answer is the count including this hit. The rule is tp_hit's (a money statement counts with it too).
 */
export async function hit(db: Db, key: string, windowStart: Date): Promise<number> {
  const row = await queryOne<{ hits: number }>(db,
    `select tp_hit(?, ?) as hits`, [key, windowStart]);
  return row!.hits;
}

/**
 * A hit on `first`, and on `second` only if `first` stayed within `firstMax`: two counters in one
 * statement and one commit (issue 23), with the same outcome as two hits in a row. `second` is
 * null when it was not hit. Every caller locks the rows in this order, so two never deadlock.
 */
export async function hitBoth(db: Db, first: { key: string; windowStart: Date; max: number }, second: { key: string; windowStart: Date }): Promise<{ first: number; second: number | null }> {
  const row = await queryOne<{ first: number; second: number | null }>(db,
    `with first as materialized (select tp_hit(?, ?) as hits)
     select first.hits as first, case when first.hits <= ? then tp_hit(?, ?) end as second from first`,
    [first.key, first.windowStart, first.max, second.key, second.windowStart]);
  return row!;
}

/** Takes back one hit of a window (a try counted before its check that turned out right). */
export async function unhit(db: Db, key: string, windowStart: Date): Promise<void> {
  await query(db, `update rate_counters set hits = hits - 1 where key = ? and window_start = ? and hits > 0`, [key, windowStart]);
}

/** The count of the current window without adding to it. */
export async function peek(db: Db, key: string, windowStart: Date): Promise<number> {
  const row = await queryOne<{ hits: number }>(db, `select hits from rate_counters where key = ? and window_start = ?`, [key, windowStart]);
  return row?.hits ?? 0;
}

/** Counters of a prefix at or over a count in a window that has not ended (the operator's view). */
export async function listFull(db: Db, prefix: string, atLeast: number, since: Date): Promise<{ key: string; hits: number; windowStart: Date }[]> {
  return query(db, `select key, hits, window_start as "windowStart" from rate_counters where key like ? and hits >= ? and window_start >= ? order by key limit 500`,
    [`${prefix}%`, atLeast, since]);
}

export async function clear(db: Db, keys: string[]): Promise<void> {
  await query(db, `delete from rate_counters where key = any(?)`, [keys]);
}

/** Counters whose window started before `before`: every window is at most a day, so they count nothing any more. */
export async function deleteLapsed(db: Db, before: Date): Promise<number> {
  return (await query(db, `delete from rate_counters where window_start < ? returning 1`, [before])).length;
}
