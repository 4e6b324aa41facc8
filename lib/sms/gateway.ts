/** One SMS to one phone. `to` is E.164 with `+`; `reference` is telepurse's message id. */
/** `paymentId` is for the log line only (grep pay_… tells a payment's story); gateways do not send it. */
/** `channel`: the dev inbox also keeps test-mode WhatsApp messages, marked as such. */
export type OutgoingSms = { to: string; text: string; reference: string; paymentId?: string | null; channel?: 'whatsapp' };

export type SendResult = { gateway: string; gatewayMessageId: string | null };

/** A delivery receipt reported by a gateway for a message it accepted earlier; `phone` is the recipient it names (digits, no `+`). */
export type DeliveryReceipt = { gateway: string; gatewayMessageId: string; phone: string; delivered: boolean; error: string | null };

export type ReceiptListener = (receipt: DeliveryReceipt) => Promise<void> | void;

export interface SmsGateway {
  readonly name: string;
  /** The longest one send() can take, every try and backoff included: the outbox lease must be longer. */
  readonly worstSendMs?: number;
  /** Resolves once the gateway accepted the message; rejects with a readable reason otherwise. */
  send(sms: OutgoingSms): Promise<SendResult>;
  /** Lets the gateway report delivery receipts (SMPP deliver_sm) to whoever records them; a promise back: stop reading until it resolves. */
  onReceipt?(listener: ReceiptListener): void;
  /** Connects ahead of the first message (SMPP binds at start so receipts of earlier messages arrive). */
  connect?(): Promise<void>;
  close?(): Promise<void>;
}

export class SmsSendError extends Error {
  constructor(
    message: string,
    /** false: retrying the same gateway is pointless (a 4xx, a refused number). */
    readonly retryable: boolean,
    /** true: the message may have gone out (the request left, no clear answer came back): never re-sent, counted as sent. */
    readonly ambiguous = false,
  ) {
    super(message);
  }
}
