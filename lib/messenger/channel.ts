import type { TemplateMessage } from '../domain/sms-message.js';

/** A pay link or receipt for a messenger: `to` is E.164 with `+`; `reference` is telepurse's message id. */
export type OutgoingTemplate = { to: string; lang: string; template: TemplateMessage; reference: string; paymentId?: string | null };

export type ChannelSendResult = { gateway: string; gatewayMessageId: string | null };

/** A message channel beside the SMS gateways (docs/architecture.md#layers): template messages only, never codes. */
export interface MessageChannel {
  readonly name: 'whatsapp';
  /** Resolves once the platform accepted the message; rejects with a ChannelSendError otherwise. */
  send(message: OutgoingTemplate): Promise<ChannelSendResult>;
}

export class ChannelSendError extends Error {
  constructor(
    message: string,
    /** true: try again on the outbox schedule (rate limits, the platform's own trouble, timeouts). */
    readonly retryable: boolean,
    /** The platform's error code, when it gave one. */
    readonly code: number | null = null,
  ) {
    super(message);
  }
}
