import { newId, type PaymentId } from '../../domain/ids.js';
import type { Shop } from '../../domain/shop.js';
import { alertNotices } from '../../notify/alert-notices.js';
import type { OutboxTime } from '../../notify/outbox.js';
import type { PlannedMessage } from './outbox-plan.js';

/**
 * docs/merchant-guide.md#alerts: the shop's alerts for this event, written in the transaction of the event itself and
 * delivered by the same loop and retry schedule as webhooks. The dedupe key makes it once per event
 * and recipient even if the event were announced twice.
 */
export function planAlerts(
  shop: Shop, type: string, subjectId: string, paymentId: PaymentId | null, data: Record<string, unknown>, when: OutboxTime, publicUrl: string,
): PlannedMessage[] {
  return alertNotices(shop, type, subjectId, paymentId, data, publicUrl).map((alert) => ({
    notification: { id: newId('ntf'), ...alert.notice, createdAt: when.at, nextAttemptAt: when.dueAt },
    dedupeKey: alert.dedupeKey,
    sms: alert.sms && {
      id: alert.sms.id, merchantId: shop.merchantId, paymentId, codeId: null, mode: shop.mode, kind: 'alert', phone: alert.sms.phone, lang: shop.lang, textRedacted: alert.sms.text, createdAt: when.at,
    },
  }));
}
