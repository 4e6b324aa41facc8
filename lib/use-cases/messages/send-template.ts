import type { Messenger } from '../../messenger/dispatch.js';
import type { Attempt } from '../../notify/send.js';
import type { SmsMessage } from '../../domain/sms-message.js';

/**
 * One attempt at a WhatsApp message the outbox claimed: a retryable failure (rate limits, the platform's own
 * trouble, a timeout) waits for the outbox schedule; any other is final, and the notifier falls back to SMS.
 */
/** `revealed`: a receipt's text and button with its token put back (docs/buyer-guide.md#receipts: stored masked). */
export async function attemptTemplate(deps: { messenger?: Messenger }, sms: SmsMessage, revealed?: { text: string; button: string }): Promise<Attempt> {
  if (!deps.messenger || !sms.template) return { statusCode: null, error: 'WhatsApp is not configured (MESSENGER)', latencyMs: 0, final: true };
  const started = Date.now();
  const sent = await deps.messenger.send({
    id: sms.id, phone: sms.phone, mode: sms.mode, paymentId: sms.paymentId, lang: sms.lang, text: revealed?.text ?? sms.textRedacted,
    template: { ...sms.template, button: revealed?.button ?? sms.template.button },
  });
  return { statusCode: null, error: sent.ok ? null : sent.error, latencyMs: Date.now() - started, final: !sent.ok && !sent.retryable };
}
