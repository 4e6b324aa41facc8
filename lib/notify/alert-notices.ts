import { alertDedupeKey, isAlertEvent, recipientKey, type AlertEvent } from '../domain/alerts.js';
import { newId, type PaymentId, type SmsId } from '../domain/ids.js';
import type { Shop } from '../domain/shop.js';
import { alertMessage } from './alert-message.js';
import type { Notice } from './outbox.js';
import { mailBrandOf } from './mail-brand.js';

export type MailBody = { to: string; subject: string; text: string; html: string };

/** One alert to write: its outbox notice, the key that makes it once per event and recipient, and for SMS the message to record. */
export type AlertNotice = { notice: Notice; dedupeKey: string; sms?: { id: SmsId; phone: string; text: string } };

/**
 * docs/merchant-guide.md#alerts: one notice per recipient of the shop's alerts for this event. Only recipients who
 * confirmed hear anything: a pending one is skipped (docs/merchant-guide.md#alerts).
 */
export function alertNotices(shop: Shop, type: string, subjectId: string, paymentId: PaymentId | null, data: Record<string, unknown>, publicUrl: string): AlertNotice[] {
  if (!isAlertEvent(type) || !shop.alerts.events.includes(type)) return [];
  const event: AlertEvent = type;
  const message = alertMessage(event, data, shop, publicUrl, mailBrandOf(publicUrl, shop));
  const base = { merchantId: shop.merchantId, shopId: shop.id, paymentId, eventType: event, url: null, contentType: 'application/json' };
  const confirmed = new Set(shop.confirmedRecipients);
  const mails = shop.alerts.emails.filter((e) => confirmed.has(recipientKey('email', e))).map((to): AlertNotice => {
    const body: MailBody = { to, subject: message.subject, text: message.text, html: message.html };
    return { notice: { ...base, kind: 'mail', body: JSON.stringify(body) }, dedupeKey: alertDedupeKey(event, subjectId, 'mail', to) };
  });
  const texts = shop.alerts.phones.filter((p) => confirmed.has(recipientKey('phone', p))).map((phone): AlertNotice => {
    const smsId = newId('sms');
    return { notice: { ...base, kind: 'sms', body: JSON.stringify({ sms_id: smsId }) }, dedupeKey: alertDedupeKey(event, subjectId, 'sms', phone), sms: { id: smsId, phone, text: message.sms } };
  });
  return [...mails, ...texts];
}
