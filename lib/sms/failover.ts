import type { Logger } from '../log.js';
import type { OutgoingSms, ReceiptListener, SendResult, SmsGateway } from './gateway.js';
import { SmsSendError } from './gateway.js';

/** Tries each gateway in order (SMS_GATEWAY=smpp,http) until one accepts the message. */
export class FailoverGateway implements SmsGateway {
  readonly name: string;
  readonly worstSendMs: number;

  constructor(
    private readonly gateways: SmsGateway[],
    private readonly log: Logger,
  ) {
    this.name = gateways.map((g) => g.name).join(',');
    this.worstSendMs = gateways.reduce((sum, g) => sum + (g.worstSendMs ?? 0), 0);
  }

  async send(sms: OutgoingSms): Promise<SendResult> {
    const reasons: string[] = [];
    for (const gateway of this.gateways) {
      try {
        return await gateway.send(sms);
      } catch (err) {
        // a message that may have gone out through one gateway is never sent through the next
        if (err instanceof SmsSendError && err.ambiguous) throw err;
        reasons.push(`${gateway.name}: ${(err as Error).message}`);
        this.log.warn({ gateway: gateway.name, reference: sms.reference, error: (err as Error).message }, 'sms gateway failed, trying the next one');
      }
    }
    throw new SmsSendError(reasons.join('; '), false);
  }

  onReceipt(listener: ReceiptListener): void {
    for (const gateway of this.gateways) gateway.onReceipt?.(listener);
  }

  async connect(): Promise<void> {
    await Promise.allSettled(this.gateways.map((g) => g.connect?.()));
  }

  async close(): Promise<void> {
    await Promise.all(this.gateways.map((g) => g.close?.()));
  }
}
