import { randomUUID } from 'node:crypto';
import type { Logger } from '../log.js';
import type { OutgoingSms, SendResult, SmsGateway } from './gateway.js';

export type InboxMessage = OutgoingSms & { id: string; at: Date };

/**
 * Development gateway: logs a masked line (never the text: it carries the code) and hands the whole
 * message to `persist`, which keeps it in the database for /dev/sms whichever process sent it
 * (app.ts passes it outside production only). Test-mode payments always use this gateway.
 */
export class LogGateway implements SmsGateway {
  readonly name = 'log';
  private readonly messages: InboxMessage[] = [];

  constructor(
    private readonly log: Logger,
    private readonly now: () => Date,
    private readonly persist?: (message: InboxMessage) => Promise<void>,
    private readonly keep = 200,
  ) {}

  async send(sms: OutgoingSms): Promise<SendResult> {
    const message = { ...sms, id: randomUUID(), at: this.now() };
    this.messages.unshift(message);
    this.messages.length = Math.min(this.messages.length, this.keep);
    // a dev inbox that cannot be written does not make the message unsent
    await this.persist?.(message).catch((err) => this.log.warn({ error: (err as Error).message }, 'sms not kept in the dev inbox'));
    this.log.info({ to: sms.to, reference: sms.reference, chars: sms.text.length, payment: sms.paymentId ?? undefined }, 'sms kept for the dev inbox');
    return { gateway: this.name, gatewayMessageId: message.id };
  }

  /** This process's own messages, newest first (tests read codes here); /dev/sms reads the database. */
  inbox(phone?: string): InboxMessage[] {
    return phone ? this.messages.filter((m) => m.to === phone) : [...this.messages];
  }
}
