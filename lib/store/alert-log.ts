import { query, type Db } from '../postgres/db.js';
import type { ShopId } from '../domain/ids.js';
import type { AlertLogEntry } from '../domain/alerts.js';

/** docs/merchant-guide.md#alerts: what the merchant reads about its alert recipients: links sent or refused, clicks, alerts dropped by a limit. */
export async function insertAlertLog(db: Db, e: Omit<AlertLogEntry, 'id'>): Promise<void> {
  await query(db,
    `insert into alert_log (shop_id, at, what, kind, address, event_type, reason, notification_id) values (?, ?, ?, ?, ?, ?, ?, ?)`,
    [e.shopId, e.at, e.what, e.kind, e.address, e.eventType, e.reason, e.notificationId]);
}

/** Newest first; `before` is the id the previous page ended at. */
export async function listAlertLog(db: Db, shopId: ShopId, limit: number, before?: string): Promise<AlertLogEntry[]> {
  return query<AlertLogEntry>(db,
    `select id::text as id, shop_id as "shopId", at, what, kind, address, event_type as "eventType", reason, notification_id as "notificationId"
     from alert_log l where l.shop_id = ? and (?::bigint is null or l.id < ?::bigint) order by l.id desc limit ?`,
    [shopId, before ?? null, before ?? null, limit]);
}
