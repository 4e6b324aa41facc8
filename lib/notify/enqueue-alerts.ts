import type { Db } from '../postgres/db.js';
import type { ShopRow } from '../store/shops.js';
import { insertNotificationOnce, type NotificationRow } from '../store/notifications.js';
import { insertSms } from '../store/sms-messages.js';
import { alertDedupeKey, isAlertEvent, recipientKey, type AlertEvent } from '../domain/alerts.js';
import { newId, type PaymentId } from '../domain/ids.js';
import { alertMessage } from './alert-message.js';
import type { OutboxTime } from './enqueue.js';

export type MailBody = { to: string; subject: string; text: string; html: string };

/**
 * Spec §13: one outbox row per recipient of the shop's alerts for this event, written in the
 * transaction of the event itself and delivered by the same loop and retry schedule as webhooks.
 * The dedupe key makes it once per event and recipient even if the event were announced twice.
 * Only recipients who confirmed hear anything: a pending one is skipped (spec §13).
 */
export async function enqueueAlerts(
  trx: Db, shop: ShopRow, type: string, subjectId: string, paymentId: PaymentId | null, data: Record<string, unknown>, when: OutboxTime, publicUrl: string,
): Promise<NotificationRow[]> {
  if (!isAlertEvent(type) || !shop.alerts.events.includes(type)) return [];
  const event: AlertEvent = type;
  const message = alertMessage(event, data, shop, publicUrl);
  const rows: NotificationRow[] = [];
  const base = { merchantId: shop.merchantId, shopId: shop.id, paymentId, eventType: event, url: null, createdAt: when.at, nextAttemptAt: when.dueAt };
  const confirmed = new Set(shop.confirmedRecipients);
  for (const to of shop.alerts.emails.filter((e) => confirmed.has(recipientKey('email', e)))) {
    const body: MailBody = { to, subject: message.subject, text: message.text, html: message.html };
    const row = await insertNotificationOnce(trx, { ...base, id: newId('ntf'), kind: 'mail', contentType: 'application/json', body: JSON.stringify(body) },
      alertDedupeKey(event, subjectId, 'mail', to));
    if (row) rows.push(row);
  }
  for (const phone of shop.alerts.phones.filter((p) => confirmed.has(recipientKey('phone', p)))) {
    const smsId = newId('sms');
    const row = await insertNotificationOnce(trx, { ...base, id: newId('ntf'), kind: 'sms', contentType: 'application/json', body: JSON.stringify({ sms_id: smsId }) },
      alertDedupeKey(event, subjectId, 'sms', phone));
    if (!row) continue;
    await insertSms(trx, {
      id: smsId, merchantId: shop.merchantId, paymentId, codeId: null, mode: shop.mode, kind: 'alert', phone, lang: shop.lang, textRedacted: message.sms, createdAt: when.at,
    });
    rows.push(row);
  }
  return rows;
}
