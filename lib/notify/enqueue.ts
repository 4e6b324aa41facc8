import type { Db } from '../store/db.js';
import type { PaymentRow } from '../store/payments.js';
import type { MerchantRow } from '../store/merchants.js';
import { insertNotification } from '../store/notifications.js';
import { newId } from '../domain/ids.js';
import { paymentJson } from '../presenters/payment.js';
import { resultFields, formEncode } from './lmi-fields.js';

export type WebhookEvent = 'payment.succeeded' | 'payment.failed' | 'payment.authorized' | 'refund.succeeded';

/**
 * Outbox writes. Called inside the transaction that changes the state they announce, so the
 * announcement exists if and only if the change does. Returns the ids to deliver after commit.
 */
export async function enqueueResult(trx: Db, p: PaymentRow, m: MerchantRow, at: Date): Promise<string[]> {
  if (!p.resultUrl) return [];
  const row = await insertNotification(trx, {
    id: newId('ntf'),
    merchantId: m.id,
    paymentId: p.id,
    kind: 'result',
    eventType: null,
    url: p.resultUrl,
    contentType: 'application/x-www-form-urlencoded',
    body: formEncode(resultFields(p, m)),
    createdAt: at,
  });
  return [row.id];
}

export async function enqueueWebhook(
  trx: Db,
  m: MerchantRow,
  type: WebhookEvent,
  paymentId: string,
  data: Record<string, unknown>,
  at: Date,
): Promise<string[]> {
  if (!m.webhookUrl) return [];
  const id = newId('ntf');
  const body = JSON.stringify({ type, id, created_at: at.toISOString(), data });
  const row = await insertNotification(trx, {
    id, merchantId: m.id, paymentId, kind: 'webhook', eventType: type, url: m.webhookUrl, contentType: 'application/json', body, createdAt: at,
  });
  return [row.id];
}

export async function enqueuePaymentEvent(trx: Db, p: PaymentRow, m: MerchantRow, type: WebhookEvent, publicUrl: string, at: Date): Promise<string[]> {
  return enqueueWebhook(trx, m, type, p.id, paymentJson(p, publicUrl), at);
}

/** An SMS that must not be lost with the request (a refund notice): sent by the same delivery loop. */
export async function enqueueSms(trx: Db, m: MerchantRow, paymentId: string, smsId: string, at: Date): Promise<string[]> {
  const row = await insertNotification(trx, {
    id: newId('ntf'), merchantId: m.id, paymentId, kind: 'sms', eventType: null, url: null, contentType: 'application/json',
    body: JSON.stringify({ sms_id: smsId }), createdAt: at,
  });
  return [row.id];
}
