import type { OutgoingSms, ReceiptListener, SendResult, SmsGateway } from '../../lib/sms/gateway.js';
import { SmsSendError } from '../../lib/sms/gateway.js';

/** A gateway for tests: records what it was asked to send, and fails when told to. */
export class RecordingGateway implements SmsGateway {
  readonly sent: OutgoingSms[] = [];
  failNext = 0;

  constructor(readonly name = 'recording') {}

  async send(sms: OutgoingSms): Promise<SendResult> {
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new SmsSendError('the recording gateway was told to fail', true);
    }
    this.sent.push(sms);
    return { gateway: this.name, gatewayMessageId: `rec-${this.sent.length}` };
  }

  private receiptListeners: ReceiptListener[] = [];

  onReceipt(listener: ReceiptListener): void {
    this.receiptListeners.push(listener);
  }

  /** Reports a delivery receipt for the n-th message sent (1-based), as an SMSC would. */
  receipt(n: number, delivered: boolean): void {
    const phone = this.sent[n - 1]?.to.replace(/^\+/, '') ?? '';
    for (const listener of this.receiptListeners) void listener({ gateway: this.name, gatewayMessageId: `rec-${n}`, phone, delivered, error: delivered ? null : 'UNDELIV' });
  }

  to(phone: string): OutgoingSms[] {
    return this.sent.filter((m) => m.to === `+${phone}`);
  }
}
