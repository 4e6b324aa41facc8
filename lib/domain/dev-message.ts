/** A message of the dev inboxes (/dev/sms, /dev/mail): development only, never written in production. */
export type DevMessage = {
  id: string;
  kind: 'sms' | 'mail';
  /** An `sms` kept for /dev/sms may be a test-mode WhatsApp message, shown marked as such. */
  channel?: 'sms' | 'whatsapp';
  recipient: string;
  sender: string | null;
  subject: string | null;
  text: string;
  html: string | null;
  reference: string | null;
  paymentId: string | null;
  at: Date;
};
