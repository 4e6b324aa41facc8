import { maskPhone, e164 } from '../domain/phone.js';
import type { SmsMessage } from '../domain/sms-message.js';

/** An SMS record: the text with any code blanked out, where it went and what became of it. */
export function smsJson(m: SmsMessage, view: 'merchant' | 'operator' = 'merchant') {
  return {
    id: m.id,
    object: 'sms' as const,
    payment_id: m.paymentId,
    kind: m.kind,
    phone: view === 'operator' ? maskPhone(m.phone) : e164(m.phone),
    text: m.textRedacted,
    lang: m.lang,
    status: m.status,
    gateway: m.gateway,
    gateway_message_id: m.gatewayMessageId,
    error: m.error,
    created_at: m.createdAt.toISOString(),
    updated_at: m.updatedAt.toISOString(),
  };
}
