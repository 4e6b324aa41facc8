import type { MerchantId, PaymentId, SmsId } from './ids.js';
import type { Mode } from './ledger.js';

export type SmsKind = 'code' | 'link' | 'refund' | 'alert';

/** `unknown`: the request left for the gateway and no clear answer came back; it may have gone out (never sent again). */
export type SmsStatus = 'queued' | 'sent' | 'delivered' | 'failed' | 'unknown';

/** An SMS sent or to send (lib/store/sms-messages.ts); its text is kept with any code redacted. */
export type SmsMessage = {
  id: SmsId;
  merchantId: MerchantId | null;
  paymentId: PaymentId | null;
  codeId: bigint | null;
  mode: Mode;
  kind: SmsKind;
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
