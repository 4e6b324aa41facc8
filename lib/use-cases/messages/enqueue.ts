import type { Db } from '../../postgres/db.js';
import { newId, type PaymentId, type SmsId } from '../../domain/ids.js';
import type { Notification } from '../../domain/notification.js';
import type { Payment } from '../../domain/payment.js';
import type { Payout } from '../../domain/payout.js';
import type { Refund } from '../../domain/refund.js';
import type { Shop } from '../../domain/shop.js';
import { resultNotice, smsNotice, webhookNotice, type Notice, type OutboxTime, type WebhookEvent } from '../../notify/outbox.js';
import { paymentEventData, payoutEventData, refundEventData } from '../../notify/event-data.js';
import { planAlerts } from './enqueue-alerts.js';
import { writeOutbox, type OutboxPlan, type PlannedMessage } from './outbox-plan.js';

/**
 * Outbox writes. Called inside the transaction that changes the state they announce, so the
 * announcement exists if and only if the change does. Returns the rows to deliver after commit.
 * Each has a pure planner (plan…) for a money statement that writes its rows itself (tp_confirm).
 */
function planned(n: Notice, when: OutboxTime): PlannedMessage {
  return { notification: { id: newId('ntf'), ...n, createdAt: when.at, nextAttemptAt: when.dueAt } };
}

/** The Result notification; `secretKey` is the merchant's, opened for this signature only. */
export function planResult(p: Payment, m: Shop, secretKey: string, when: OutboxTime): OutboxPlan {
  const notice = resultNotice(p, m, secretKey);
  return { messages: notice ? [planned(notice, when)] : [] };
}

export function enqueueResult(trx: Db, p: Payment, m: Shop, secretKey: string, when: OutboxTime): Promise<Notification[]> {
  return writeOutbox(trx, planResult(p, m, secretKey, when));
}

/**
 * An event of the shop: its webhook (when it has a URL) and its alerts by mail and SMS (docs/merchant-guide.md#alerts),
 * all in the caller's transaction. `paymentId` is null for events of no payment (payouts).
 */
export function planWebhook(m: Shop, type: WebhookEvent, paymentId: PaymentId | null, data: Record<string, unknown>, when: OutboxTime, publicUrl: string): OutboxPlan {
  const alerts = planAlerts(m, type, String(data.id), paymentId, data, when, publicUrl);
  const notice = webhookNotice(m, newId('ntf'), type, paymentId, data, when.at);
  return { messages: notice ? [planned(notice, when), ...alerts] : alerts };
}

export function enqueueWebhook(
  trx: Db, m: Shop, type: WebhookEvent, paymentId: PaymentId | null, data: Record<string, unknown>, when: OutboxTime, publicUrl: string,
): Promise<Notification[]> {
  return writeOutbox(trx, planWebhook(m, type, paymentId, data, when, publicUrl));
}

export function planPaymentEvent(p: Payment, m: Shop, type: WebhookEvent, publicUrl: string, when: OutboxTime): OutboxPlan {
  // alerts of a test payment go the test way (no real SMS), whatever the merchant's mode (docs/merchant-guide.md#test-mode)
  return planWebhook({ ...m, mode: p.mode }, type, p.id, paymentEventData(p, publicUrl), when, publicUrl);
}

export function enqueuePaymentEvent(trx: Db, p: Payment, m: Shop, type: WebhookEvent, publicUrl: string, when: OutboxTime): Promise<Notification[]> {
  return writeOutbox(trx, planPaymentEvent(p, m, type, publicUrl, when));
}

export function enqueueRefundEvent(trx: Db, r: Refund, m: Shop, publicUrl: string, when: OutboxTime): Promise<Notification[]> {
  return enqueueWebhook(trx, m, 'refund.succeeded', r.paymentId, refundEventData(r), when, publicUrl);
}

export function enqueuePayoutEvent(trx: Db, p: Payout, m: Shop, type: 'payout.paid' | 'payout.failed', publicUrl: string, when: OutboxTime): Promise<Notification[]> {
  return enqueueWebhook(trx, { ...m, mode: p.mode }, type, null, payoutEventData(p), when, publicUrl);
}

/** An SMS that must not be lost with the request (a refund notice): sent by the same delivery loop. */
export function enqueueSms(trx: Db, m: Shop, paymentId: PaymentId, smsId: SmsId, when: OutboxTime): Promise<Notification[]> {
  return writeOutbox(trx, { messages: [planned(smsNotice(m, paymentId, smsId), when)] });
}
