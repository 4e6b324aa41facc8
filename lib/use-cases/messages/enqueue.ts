import type { Db } from '../../postgres/db.js';
import { insertNotification } from '../../store/notifications.js';
import { newId, type PaymentId, type SmsId } from '../../domain/ids.js';
import type { Notification } from '../../domain/notification.js';
import type { Payment } from '../../domain/payment.js';
import type { Payout } from '../../domain/payout.js';
import type { Refund } from '../../domain/refund.js';
import type { Shop } from '../../domain/shop.js';
import { resultNotice, smsNotice, webhookNotice, type Notice, type OutboxTime, type WebhookEvent } from '../../notify/outbox.js';
import { paymentEventData, payoutEventData, refundEventData } from '../../notify/event-data.js';
import { enqueueAlerts } from './enqueue-alerts.js';

/**
 * Outbox writes. Called inside the transaction that changes the state they announce, so the
 * announcement exists if and only if the change does. Returns the rows to deliver after commit.
 */
async function write(trx: Db, n: Notice, when: OutboxTime): Promise<Notification[]> {
  return [await insertNotification(trx, { id: newId('ntf'), ...n, createdAt: when.at, nextAttemptAt: when.dueAt })];
}

/** The Result notification; `secretKey` is the merchant's, opened for this signature only. */
export async function enqueueResult(trx: Db, p: Payment, m: Shop, secretKey: string, when: OutboxTime): Promise<Notification[]> {
  const notice = resultNotice(p, m, secretKey);
  return notice ? write(trx, notice, when) : [];
}

/**
 * An event of the shop: its webhook (when it has a URL) and its alerts by mail and SMS (docs/merchant-guide.md#alerts),
 * all in the caller's transaction. `paymentId` is null for events of no payment (payouts).
 */
export async function enqueueWebhook(
  trx: Db, m: Shop, type: WebhookEvent, paymentId: PaymentId | null, data: Record<string, unknown>, when: OutboxTime, publicUrl: string,
): Promise<Notification[]> {
  const alerts = await enqueueAlerts(trx, m, type, String(data.id), paymentId, data, when, publicUrl);
  const notice = webhookNotice(m, newId('ntf'), type, paymentId, data, when.at);
  return notice ? [...(await write(trx, notice, when)), ...alerts] : alerts;
}

export async function enqueuePaymentEvent(trx: Db, p: Payment, m: Shop, type: WebhookEvent, publicUrl: string, when: OutboxTime): Promise<Notification[]> {
  // alerts of a test payment go the test way (no real SMS), whatever the merchant's mode (docs/merchant-guide.md#test-mode)
  return enqueueWebhook(trx, { ...m, mode: p.mode }, type, p.id, paymentEventData(p, publicUrl), when, publicUrl);
}

export async function enqueueRefundEvent(trx: Db, r: Refund, m: Shop, publicUrl: string, when: OutboxTime): Promise<Notification[]> {
  return enqueueWebhook(trx, m, 'refund.succeeded', r.paymentId, refundEventData(r), when, publicUrl);
}

export async function enqueuePayoutEvent(trx: Db, p: Payout, m: Shop, type: 'payout.paid' | 'payout.failed', publicUrl: string, when: OutboxTime): Promise<Notification[]> {
  return enqueueWebhook(trx, { ...m, mode: p.mode }, type, null, payoutEventData(p), when, publicUrl);
}

/** An SMS that must not be lost with the request (a refund notice): sent by the same delivery loop. */
export async function enqueueSms(trx: Db, m: Shop, paymentId: PaymentId, smsId: SmsId, when: OutboxTime): Promise<Notification[]> {
  return write(trx, smsNotice(m, paymentId, smsId), when);
}
