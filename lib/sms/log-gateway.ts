import { randomUUID } from 'node:crypto';
import type { Logger } from '../log.js';
import type { OutgoingSms, SendResult, SmsGateway } from './gateway.js';

export type InboxMessage = OutgoingSms & { id: string; at: Date };

/**
 * Development gateway: logs a masked line and keeps the whole message in memory for the dev inbox
 * at /dev/sms (newest first). Never enabled in production; test-mode payments always use it.
 */
export class LogGateway implements SmsGateway {
  readonly name = 'log';
  private readonly messages: InboxMessage[] = [];

  constructor(
    private readonly log: Logger,
    private readonly now: () => Date,
    private readonly keep = 200,
  ) {}

  async send(sms: OutgoingSms): Promise<SendResult> {
    const id = randomUUID();
    this.messages.unshift({ ...sms, id, at: this.now() });
    this.messages.length = Math.min(this.messages.length, this.keep);
    this.log.info({ to: sms.to, reference: sms.reference, chars: sms.text.length, payment: sms.paymentId ?? undefined }, 'sms kept for the dev inbox');
    return { gateway: this.name, gatewayMessageId: id };
  }

  inbox(phone?: string): InboxMessage[] {
    return phone ? this.messages.filter((m) => m.to === phone) : [...this.messages];
  }
}
