import { e164 } from '../domain/phone.js';
import type { Logger } from '../log.js';
import type { Mode } from '../domain/ledger.js';
import type { TemplateMessage } from '../domain/sms-message.js';
import type { SmsRecorder } from '../sms/dispatch.js';
import type { LogGateway } from '../sms/log-gateway.js';
import { ChannelSendError, type MessageChannel } from './channel.js';

/** `retryable`: try again on the outbox schedule; otherwise the message failed for good (and falls back to SMS). */
export type MessengerDispatch = { ok: true; gateway: string } | { ok: false; error: string; retryable: boolean };

export type TemplateToSend = { id: string; phone: string; mode: Mode; paymentId: string | null; lang: string; text: string; template: TemplateMessage };

export type Messenger = {
  /** MESSENGER=whatsapp: pay links and receipts may be sent by WhatsApp. */
  readonly configured: boolean;
  /** Sends a recorded message (sms_messages row, channel whatsapp) and records the outcome; never throws for platform failures. */
  send(message: TemplateToSend): Promise<MessengerDispatch>;
};

/** Live messages go to the platform; test-mode messages only reach the dev inbox, marked as WhatsApp's (as SMS do). */
export function createMessenger(deps: { log: Logger }, record: Pick<SmsRecorder, 'sent' | 'failed'>, live: MessageChannel | null, devInbox: LogGateway): Messenger {
  return {
    configured: live !== null,
    async send(m) {
      let result: { gateway: string; gatewayMessageId: string | null };
      try {
        if (m.mode === 'test') result = { ...(await devInbox.send({ to: e164(m.phone), text: m.text, reference: m.id, paymentId: m.paymentId, channel: 'whatsapp' })), gateway: 'whatsapp-test' };
        else if (live) result = await live.send({ to: e164(m.phone), lang: m.lang, template: m.template, reference: m.id, paymentId: m.paymentId });
        else throw new ChannelSendError('WhatsApp is not configured (MESSENGER)', false);
      } catch (err) {
        const error = (err as Error).message;
        const retryable = err instanceof ChannelSendError ? err.retryable : true;
        deps.log.warn({ sms: m.id, payment: m.paymentId ?? undefined, channel: 'whatsapp', error, retryable }, 'whatsapp message not sent');
        await record.failed(m.id, error);
        return { ok: false, error, retryable };
      }
      await record.sent(m.id, result.gateway, result.gatewayMessageId);
      deps.log.info({ sms: m.id, payment: m.paymentId ?? undefined, channel: 'whatsapp', gateway: result.gateway }, 'whatsapp message sent');
      return { ok: true, gateway: result.gateway };
    },
  };
}
