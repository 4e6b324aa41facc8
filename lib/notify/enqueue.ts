import type { Db } from '../postgres/db.js';
import type { Config } from '../config.js';
import type { PaymentRow } from '../store/payments.js';
import type { ShopRow } from '../store/shops.js';
import { insertNotification, type NotificationRow, type NewNotification } from '../store/notifications.js';
import { newId, type NotificationId, type PaymentId, type SmsId } from '../domain/ids.js';
import { paymentJson } from '../presenters/payment.js';
import { resultFields, formEncode } from './lmi-fields.js';
import { enqueueAlerts } from './enqueue-alerts.js';
import { smsWorstSendMs } from '../sms/build-gateway.js';

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

/**
 * Outbox writes. Called inside the transaction that changes the state they announce, so the
 * announcement exists if and only if the change does. Returns the rows to deliver after commit.
 */
async function write(trx: Db, n: Omit<NewNotification, 'id' | 'createdAt' | 'nextAttemptAt'> & { id?: NotificationId }, when: OutboxTime): Promise<NotificationRow[]> {
  return [await insertNotification(trx, { id: newId('ntf'), ...n, createdAt: when.at, nextAttemptAt: when.dueAt })];
}

/** The Result notification; `secretKey` is the merchant's, opened for this signature only. */
export async function enqueueResult(trx: Db, p: PaymentRow, m: ShopRow, secretKey: string, when: OutboxTime): Promise<NotificationRow[]> {
  if (!p.resultUrl) return [];
  return write(trx, {
    merchantId: m.merchantId, shopId: m.id, paymentId: p.id, kind: 'result', eventType: null, url: p.resultUrl,
    contentType: 'application/x-www-form-urlencoded', body: formEncode(resultFields(p, m, secretKey)),
  }, when);
}

/**
 * An event of the shop: its webhook (when it has a URL) and its alerts by mail and SMS (spec §13),
 * all in the caller's transaction. `paymentId` is null for events of no payment (payouts).
 */
export async function enqueueWebhook(
  trx: Db, m: ShopRow, type: WebhookEvent, paymentId: PaymentId | null, data: Record<string, unknown>, when: OutboxTime, publicUrl: string,
): Promise<NotificationRow[]> {
  const alerts = await enqueueAlerts(trx, m, type, String(data.id), paymentId, data, when, publicUrl);
  if (!m.webhookUrl) return alerts;
  const id = newId('ntf');
  const body = JSON.stringify({ type, id, created_at: when.at.toISOString(), data });
  return [...(await write(trx, { id, merchantId: m.merchantId, shopId: m.id, paymentId, kind: 'webhook', eventType: type, url: m.webhookUrl, contentType: 'application/json', body }, when)), ...alerts];
}

export async function enqueuePaymentEvent(trx: Db, p: PaymentRow, m: ShopRow, type: WebhookEvent, publicUrl: string, when: OutboxTime): Promise<NotificationRow[]> {
  return enqueueWebhook(trx, m, type, p.id, paymentJson(p, publicUrl), when, publicUrl);
}

/** An SMS that must not be lost with the request (a refund notice): sent by the same delivery loop. */
export async function enqueueSms(trx: Db, m: ShopRow, paymentId: PaymentId, smsId: SmsId, when: OutboxTime): Promise<NotificationRow[]> {
  return write(trx, { merchantId: m.merchantId, shopId: m.id, paymentId, kind: 'sms', eventType: null, url: null, contentType: 'application/json', body: JSON.stringify({ sms_id: smsId }) }, when);
}
