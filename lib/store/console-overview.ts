import { query, queryOne, type Db } from '../postgres/db.js';

export type VolumeRow = { currency: string; mode: string; count: number; amount: bigint };
export type MinuteCount = { minute: Date; n: number };

/** Payments created since `since` (any status), and the paid ones' volume per currency and mode. */
export async function paymentsSince(db: Db, since: Date): Promise<{ created: number; volume: VolumeRow[] }> {
  const [created, volume] = await Promise.all([
    queryOne<{ n: number }>(db, `select count(*)::int as n from payments where created_at >= ?`, [since]),
    query<VolumeRow>(db,
      `select currency, mode, count(*)::int as count, sum(amount)::bigint as amount from payments
       where created_at >= ? and paid_at is not null group by currency, mode order by currency, mode`, [since]),
  ]);
  return { created: created?.n ?? 0, volume };
}

/** SMS written since `since` (every kind: the budget counts them all). */
export async function smsSince(db: Db, since: Date): Promise<number> {
  return (await queryOne<{ n: number }>(db, `select count(*)::int as n from sms_messages where created_at >= ?`, [since]))?.n ?? 0;
}

export async function countDeadNotifications(db: Db): Promise<number> {
  return (await queryOne<{ n: number }>(db, `select count(*)::int as n from notifications where status = 'dead'`))?.n ?? 0;
}

export async function pendingPayouts(db: Db): Promise<VolumeRow[]> {
  return query<VolumeRow>(db,
    `select currency, mode, count(*)::int as count, sum(amount)::bigint as amount from payouts where status = 'pending' group by currency, mode order by currency, mode`);
}

/** Per minute since `since`, only the minutes that had any (the chart fills the gaps). */
export async function paymentsPerMinute(db: Db, since: Date): Promise<MinuteCount[]> {
  return query<MinuteCount>(db, `select date_trunc('minute', created_at) as minute, count(*)::int as n from payments where created_at >= ? group by 1 order by 1`, [since]);
}

export async function smsPerMinute(db: Db, since: Date): Promise<MinuteCount[]> {
  return query<MinuteCount>(db, `select date_trunc('minute', created_at) as minute, count(*)::int as n from sms_messages where created_at >= ? group by 1 order by 1`, [since]);
}
