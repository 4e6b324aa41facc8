import type { Config } from '../config.js';
import { smsWorstSendMs } from '../sms/build-gateway.js';
import type { NotificationId, PaymentId, ShopId, SmsId } from '../domain/ids.js';
import type { Notification } from '../domain/notification.js';
import type { Payment } from '../domain/payment.js';
import type { Shop } from '../domain/shop.js';
import { resultFields, formEncode } from './lmi-fields.js';

export type WebhookEvent = 'payment.succeeded' | 'payment.failed' | 'payment.authorized' | 'refund.succeeded' | 'payout.paid' | 'payout.failed';

type LeaseConfig = Pick<Config, 'notifyTimeoutMs'> & Parameters<typeof smsWorstSendMs>[0];

/** How long a claimed delivery may take before the row counts as abandoned and is due again: longer than the worst HTTP post or SMS send. */
export function deliveryLeaseMs(config: LeaseConfig): number {
  return Math.max(config.notifyTimeoutMs, smsWorstSendMs(config)) + 5_000;
}

/**
 * When an outbox row is written: `at`, and `dueAt`, when a sweeper may take it. A writer that
 * makes the first attempt itself right after commit holds it for a lease (if the writer dies first,
 * the sweeper takes the row then); rows written for the sweeper alone are due at once.
 */
export type OutboxTime = { at: Date; dueAt: Date };

export function outboxTime(config: LeaseConfig, at: Date, deliveredBy: 'writer' | 'sweeper' = 'writer'): OutboxTime {
  return { at, dueAt: deliveredBy === 'writer' ? new Date(at.getTime() + deliveryLeaseMs(config)) : at };
}

/** An outbox message as shaped here, before use-cases/messages/enqueue.ts writes it with its times. */
export type Notice = Pick<Notification, 'merchantId' | 'paymentId' | 'kind' | 'eventType' | 'url' | 'contentType' | 'body'> & { id?: NotificationId; shopId: ShopId | null };

/** The Result notification; `secretKey` is the merchant's, opened for this signature only. */
export function resultNotice(p: Payment, m: Shop, secretKey: string): Notice | undefined {
  if (!p.resultUrl) return undefined;
  return {
    merchantId: m.merchantId, shopId: m.id, paymentId: p.id, kind: 'result', eventType: null, url: p.resultUrl,
    contentType: 'application/x-www-form-urlencoded', body: formEncode(resultFields(p, m, secretKey)),
  };
}

/** The shop's webhook of an event, when it has a URL; `id` is the notification's, written in the body too. */
export function webhookNotice(m: Shop, id: NotificationId, type: WebhookEvent, paymentId: PaymentId | null, data: Record<string, unknown>, at: Date): Notice | undefined {
  if (!m.webhookUrl) return undefined;
  const body = JSON.stringify({ type, id, created_at: at.toISOString(), data });
  return { id, merchantId: m.merchantId, shopId: m.id, paymentId, kind: 'webhook', eventType: type, url: m.webhookUrl, contentType: 'application/json', body };
}

/** An SMS that must not be lost with the request (a refund notice): sent by the same delivery loop. */
export function smsNotice(m: Shop, paymentId: PaymentId, smsId: SmsId): Notice {
  return { merchantId: m.merchantId, shopId: m.id, paymentId, kind: 'sms', eventType: null, url: null, contentType: 'application/json', body: JSON.stringify({ sms_id: smsId }) };
}
