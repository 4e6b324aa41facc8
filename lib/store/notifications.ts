import { query, queryOne, type Db, type SqlParam } from '../postgres/db.js';
import type { NotificationId, ShopId } from '../domain/ids.js';
import type { NotificationKind, NotificationStatus, Notification, DeliveryAttempt, AttemptRow, AttemptOutcome, AttemptRecord } from '../domain/notification.js';

const COLUMNS = `id, merchant_id as "merchantId", shop_id as "shopId", payment_id as "paymentId", kind, event_type as "eventType", url,
  content_type as "contentType", body, status, attempts, next_attempt_at as "nextAttemptAt", last_status as "lastStatus",
  last_error as "lastError", created_at as "createdAt", delivered_at as "deliveredAt"`;

export type NewNotification = Pick<Notification, 'id' | 'merchantId' | 'paymentId' | 'kind' | 'eventType' | 'url' | 'contentType' | 'body' | 'createdAt'> & {
  shopId?: ShopId | null;
  /** When a sweeper may take it: now for anyone, or later when the writer delivers it first. */
  nextAttemptAt: Date;
};

/** The outbox: written in the transaction of the state it announces. */
export async function insertNotification(db: Db, n: NewNotification): Promise<Notification> {
  return (await queryOne<Notification>(
    db,
    `insert into notifications (id, merchant_id, shop_id, payment_id, kind, event_type, url, content_type, body, status, next_attempt_at, created_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?) returning ${COLUMNS}`,
    [n.id, n.merchantId, n.shopId ?? null, n.paymentId, n.kind, n.eventType, n.url, n.contentType, n.body, n.nextAttemptAt, n.createdAt],
  ))!;
}

/** An outbox row that may exist once only (an alert per event and recipient): nothing comes back when it already does. */
export async function insertNotificationOnce(db: Db, n: NewNotification, dedupeKey: string): Promise<Notification | undefined> {
  return queryOne<Notification>(
    db,
    `insert into notifications (id, merchant_id, shop_id, payment_id, kind, event_type, url, content_type, body, status, next_attempt_at, created_at, dedupe_key)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)
     on conflict (dedupe_key) where dedupe_key is not null do nothing returning ${COLUMNS}`,
    [n.id, n.merchantId, n.shopId ?? null, n.paymentId, n.kind, n.eventType, n.url, n.contentType, n.body, n.nextAttemptAt, n.createdAt, dedupeKey],
  );
}

export async function findNotification(db: Db, id: NotificationId): Promise<Notification | undefined> {
  return queryOne<Notification>(db, `select ${COLUMNS} from notifications where id = ?`, [id]);
}

export async function listNotificationsOfPayment(db: Db, paymentId: string): Promise<Notification[]> {
  return query<Notification>(db, `select ${COLUMNS} from notifications where payment_id = ? order by seq`, [paymentId]);
}

const ATTEMPT_COLUMNS = `id, notification_id as "notificationId", attempted_at as "attemptedAt", status_code as "statusCode",
  latency_ms as "latencyMs", error`;

/** The latest `perNotification` attempts of each notification (oldest first): a row retried for days stays a short list. */
export async function listAttempts(db: Db, notificationIds: string[], perNotification: number): Promise<DeliveryAttempt[]> {
  return query<DeliveryAttempt>(
    db,
    `select ${ATTEMPT_COLUMNS} from (
       select *, row_number() over (partition by notification_id order by id desc) as rank
       from notification_attempts where notification_id = any(?)) a
     where rank <= ? order by id`,
    [notificationIds, perNotification],
  );
}

/** One page of a notification's attempts, newest first, before the attempt id `beforeId`. */
export async function listAttemptsPage(db: Db, notificationId: NotificationId, beforeId: bigint | undefined, limit: number): Promise<DeliveryAttempt[]> {
  return query<DeliveryAttempt>(
    db,
    `select ${ATTEMPT_COLUMNS} from notification_attempts where notification_id = ? and id < ? order by id desc limit ?`,
    [notificationId, beforeId ?? 9223372036854775807n, limit],
  );
}

/**
 * Takes due notifications for delivery: rows another sweeper holds are skipped, and the claimed
 * ones are pushed `leaseMs` into the future so a crashed sweeper's rows come back later by themselves.
 */
export async function claimDue(db: Db, now: Date, limit: number, leaseUntil: Date, kinds: NotificationKind[]): Promise<Notification[]> {
  return query<Notification>(
    db,
    `update notifications set next_attempt_at = ?
     where id in (select id from notifications where status = 'pending' and next_attempt_at <= ? and kind = any(?)
                  order by next_attempt_at limit ? for update skip locked)
     returning ${COLUMNS}`,
    [leaseUntil, now, kinds, limit],
  );
}

export async function recordAttempt(db: Db, a: AttemptRow, outcome: AttemptOutcome): Promise<void> {
  const ride = attemptCtes({ row: a, outcome });
  await query(db, `with ${ride.sql} select 1`, ride.params);
}

/** The attempt's insert and the notification's update as CTEs of a statement that writes something else too. */
export function attemptCtes({ row: a, outcome }: AttemptRecord): { sql: string; params: SqlParam[] } {
  return {
    sql: `attempt as (insert into notification_attempts (notification_id, attempted_at, status_code, latency_ms, error) values (?, ?, ?, ?, ?)),
     attempted as (update notifications set attempts = attempts + 1, status = ?, next_attempt_at = ?, last_status = ?, last_error = ?, delivered_at = ?
       where id = ?)`,
    params: [a.notificationId, a.attemptedAt, a.statusCode, a.latencyMs, a.error, outcome.status, outcome.nextAttemptAt, a.statusCode,
      a.error, outcome.deliveredAt, a.notificationId],
  };
}

/** Queues one more delivery of a notification, whatever its state, claimed by the caller until `claimedUntil`. */
export async function requeue(db: Db, id: string, claimedUntil: Date, maxRedeliveries: number): Promise<Notification | undefined> {
  return queryOne<Notification>(
    db,
    `update notifications set status = 'pending', next_attempt_at = ?, delivered_at = null, redeliveries = redeliveries + 1
     where id = ? and redeliveries < ? returning ${COLUMNS}`,
    [claimedUntil, id, maxRedeliveries],
  );
}

/** Pending alerts per channel (an alert SMS is an SMS row written for an event), for /metrics. */
export async function countPendingAlerts(db: Db): Promise<{ channel: string; n: number }[]> {
  return query(db, `select kind as channel, count(*)::int as n from notifications
    where status = 'pending' and (kind = 'mail' or (kind = 'sms' and event_type is not null)) group by kind`);
}

/** The outbox per kind, for /metrics: how many wait, since when, and how many gave up. */
export async function summarizeOutbox(db: Db, now: Date): Promise<{ kind: string; pending: number; dead: number; oldestPendingSeconds: number | null }[]> {
  return query(db, `select kind,
      count(*) filter (where status = 'pending')::int as pending,
      count(*) filter (where status = 'dead')::int as dead,
      extract(epoch from (?::timestamptz - min(created_at) filter (where status = 'pending')))::float8 as "oldestPendingSeconds"
    from notifications where status in ('pending', 'dead') group by kind`, [now]);
}

export async function countPending(db: Db): Promise<number> {
  return (await queryOne<{ n: number }>(db, `select count(*)::int as n from notifications where status = 'pending'`))!.n;
}

/** The operator's list (docs/operator-guide.md#operator-console): dead or pending rows a person can redeliver, of every merchant, newest first. */
export async function listUndelivered(db: Db, f: { status: 'dead' | 'pending'; beforeSeq?: bigint; limit: number }): Promise<(Notification & { seq: bigint })[]> {
  return query(db,
    `select ${COLUMNS}, seq from notifications where status = ? and status <> 'delivered' and kind not in ('prerequest', 'sms')
       and seq < coalesce(?::bigint, 9223372036854775807) order by seq desc limit ?`,
    [f.status, f.beforeSeq ?? null, f.limit]);
}
