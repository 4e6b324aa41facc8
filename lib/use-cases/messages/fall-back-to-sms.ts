import { inTransaction, type Knex } from '../../postgres/db.js';
import type { Clock } from '../../clock.js';
import type { Config } from '../../config.js';
import { findFallbackOf, lockSms } from '../../store/message-channels.js';
import { insertSms } from '../../store/sms-messages.js';
import { findPayment } from '../../store/payments.js';
import { findShop } from '../../store/shops.js';
import { newId, type PaymentId } from '../../domain/ids.js';
import { outboxTime, smsNotice } from '../../notify/outbox.js';
import { insertNotification } from '../../store/notifications.js';
import { findReceipt } from '../../store/receipts.js';
import type { Notification } from '../../domain/notification.js';

/**
 * A WhatsApp pay link or receipt that failed for good goes out once more, by SMS, with the same text
 * (docs/merchant-guide.md#pay-links-by-whatsapp). Once: the unique fallback_of, under the message's lock.
 * Any other message (an SMS, one already replaced) is left alone. Returns the outbox rows to deliver.
 */
export async function fallBackToSms(deps: { db: Knex; clock: Clock; config: Config }, smsId: string): Promise<Notification[]> {
  return inTransaction(deps.db, async (trx) => {
    const failed = await lockSms(trx, smsId);
    if (!failed || failed.channel !== 'whatsapp' || failed.status !== 'failed' || !failed.paymentId) return [];
    if (await findFallbackOf(trx, failed.id)) return [];
    const payment = await findPayment(trx, failed.paymentId as PaymentId);
    const shop = payment && (await findShop(trx, payment.shopId));
    if (!shop) return [];
    const now = deps.clock.now();
    const sms = await insertSms(trx, {
      id: newId('sms'), merchantId: failed.merchantId, paymentId: failed.paymentId, codeId: null, mode: failed.mode, kind: failed.kind,
      phone: failed.phone, textRedacted: failed.textRedacted, lang: failed.lang, createdAt: now, fallbackOf: failed.id,
    });
    // a receipt's text keeps its token masked: the outbox row names the receipt so the token is put back at send time
    const receipt = failed.kind === 'receipt' || failed.kind === 'refund' ? await findReceipt(trx, failed.paymentId as PaymentId) : undefined;
    const notice = smsNotice(shop, failed.paymentId, sms.id);
    const body = receipt ? JSON.stringify({ sms_id: sms.id, receipt: receipt.paymentId, secret_id: receipt.secretId }) : notice.body;
    const when = outboxTime(deps.config, now);
    return [await insertNotification(trx, { id: newId('ntf'), ...notice, body, createdAt: when.at, nextAttemptAt: when.dueAt })];
  });
}
