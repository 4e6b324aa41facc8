import type { MerchantId, PaymentId, SmsId } from './ids.js';
import type { Mode } from './ledger.js';

export type SmsKind = 'code' | 'link' | 'refund' | 'alert' | 'receipt' | 'sign_in';

/** `unknown`: the request left for the gateway and no clear answer came back; it may have gone out (never sent again); `read`: WhatsApp's last. */
export type SmsStatus = 'queued' | 'sent' | 'delivered' | 'read' | 'failed' | 'unknown';

/** SMS is the only channel for codes; pay links and receipts may go by WhatsApp. */
export type MessageChannel = 'sms' | 'whatsapp';

/** A WhatsApp template message: its name, the body parameters in order, and the URL button's suffix (a bare token). */
export type TemplateMessage = { name: string; body: string[]; button: string };

/** An SMS sent or to send (lib/store/sms-messages.ts); its text is kept with any code redacted. */
export type SmsMessage = {
  id: SmsId;
  merchantId: MerchantId | null;
  paymentId: PaymentId | null;
  codeId: bigint | null;
  mode: Mode;
  kind: SmsKind;
  channel: MessageChannel;
  /** WhatsApp only: what the template is filled with (it holds the link's token, as the SMS text does). */
  template: TemplateMessage | null;
  /** The WhatsApp message this SMS stands in for, after it failed. */
  fallbackOf: SmsId | null;
  phone: string;
  textRedacted: string;
  lang: string;
  status: SmsStatus;
  gateway: string | null;
  gatewayMessageId: string | null;
  error: string | null;
  createdAt: Date;
  updatedAt: Date;
};
