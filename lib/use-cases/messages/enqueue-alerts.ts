import type { Db } from '../../postgres/db.js';
import { insertNotificationOnce } from '../../store/notifications.js';
import { insertSms } from '../../store/sms-messages.js';
import { newId, type PaymentId } from '../../domain/ids.js';
import type { Notification } from '../../domain/notification.js';
import type { Shop } from '../../domain/shop.js';
import { alertNotices } from '../../notify/alert-notices.js';
import type { OutboxTime } from '../../notify/outbox.js';

/**
 * docs/merchant-guide.md#alerts: the shop's alerts for this event, written in the transaction of the event itself and
 * delivered by the same loop and retry schedule as webhooks. The dedupe key makes it once per event
 * and recipient even if the event were announced twice.
 */
export async function enqueueAlerts(
  trx: Db, shop: Shop, type: string, subjectId: string, paymentId: PaymentId | null, data: Record<string, unknown>, when: OutboxTime, publicUrl: string,
): Promise<Notification[]> {
  const rows: Notification[] = [];
  for (const alert of alertNotices(shop, type, subjectId, paymentId, data, publicUrl)) {
    const row = await insertNotificationOnce(trx, { id: newId('ntf'), ...alert.notice, createdAt: when.at, nextAttemptAt: when.dueAt }, alert.dedupeKey);
    if (!row) continue;
    if (alert.sms) {
      await insertSms(trx, {
        id: alert.sms.id, merchantId: shop.merchantId, paymentId, codeId: null, mode: shop.mode, kind: 'alert', phone: alert.sms.phone, lang: shop.lang, textRedacted: alert.sms.text, createdAt: when.at,
      });
    }
    rows.push(row);
  }
  return rows;
}
