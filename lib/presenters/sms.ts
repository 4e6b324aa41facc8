import { maskPhone, e164 } from '../domain/phone.js';
import type { SmsMessage } from '../domain/sms-message.js';

/** A pay link's token opens the payment: the merchant has it as `link_url`, the message list shows it blanked. */
const LINK_TOKEN = /\/l\/[0-9A-Za-z]+/g;

/** A message record (SMS or WhatsApp): the text with any code or link token blanked out, where it went and what became of it. */
export function smsJson(m: SmsMessage, view: 'merchant' | 'operator' = 'merchant') {
  return {
    id: m.id,
    object: 'sms' as const,
    payment_id: m.paymentId,
    kind: m.kind,
    channel: m.channel,
    phone: view === 'operator' ? maskPhone(m.phone) : e164(m.phone),
    text: m.textRedacted.replace(LINK_TOKEN, '/l/••••'),
    lang: m.lang,
    status: m.status,
    gateway: m.gateway,
    gateway_message_id: m.gatewayMessageId,
    error: m.error,
    created_at: m.createdAt.toISOString(),
    updated_at: m.updatedAt.toISOString(),
  };
}
