import { z } from 'zod';
import { paymentObject, payoutObject, refundObject } from './objects.js';

/** What the service sends to merchants' servers: the Result notification, the pre-request, and webhook events. */
const lmi = (description: string, example: string) => z.string().meta({ description, example });

export const resultNotification = z.looseObject({
  LMI_MODE: lmi('1 in test mode, else 0', '0'),
  LMI_PAYEE_PURSE: lmi('Your purse that was credited', 'Z100000000012'),
  LMI_PAYMENT_AMOUNT: lmi('The amount paid (captured)', '12.08'),
  LMI_PAYMENT_NO: lmi('Your order number, as you sent it', '1042'),
  LMI_SYS_INVS_NO: lmi('Our number of the payment', '310'),
  LMI_SYS_TRANS_NO: lmi('Our number of the money movement', '1187'),
  LMI_SYS_TRANS_DATE: lmi('When the money moved (YYYYMMDD HH:MM:SS)', '20261201 10:00:00'),
  LMI_PAYER_PURSE: lmi("The buyer's purse", 'Z200000000034'),
  LMI_PAYER_WM: lmi("The buyer's wallet holder number", '200000000034'),
  LMI_TELEPAT_PHONENUMBER: lmi("The buyer's phone, digits only", '79031234567'),
  LMI_TELEPAT_ORDERID: lmi('Our payment id', 'pay_8k2m4q6s8u0w2y4a6c8e0g2j'),
  LMI_PAYMENT_DESC: lmi('The description', 'Order 1042'),
  LMI_HASH: lmi('Signature over the hashed fields with your secret key (hash_method: sha256 or md5), upper-case hex', 'A3F1…'),
  LMI_HASH2: lmi('HMAC-SHA256 of the same fields with your secret key, upper-case hex', '9C0D…'),
}).meta({ id: 'ResultNotification', description: 'Form fields (application/x-www-form-urlencoded); your own fields of the form follow them. Answer 2xx, or it is retried.' });

export const prerequestNotification = z.looseObject({
  LMI_PREREQUEST: lmi('Always 1', '1'),
  LMI_MODE: lmi('1 in test mode, else 0', '0'),
  LMI_PAYEE_PURSE: lmi('Your purse', 'Z100000000012'),
  LMI_PAYMENT_AMOUNT: lmi('The amount asked', '12.08'),
  LMI_PAYMENT_NO: lmi('Your order number', '1042'),
  LMI_SYS_INVS_NO: lmi('Our number of the payment', '310'),
  LMI_PAYER_PURSE: lmi("The buyer's purse", 'Z200000000034'),
  LMI_PAYER_WM: lmi("The buyer's wallet holder number", '200000000034'),
  LMI_TELEPAT_PHONENUMBER: lmi("The buyer's phone, digits only", '79031234567'),
  LMI_TELEPAT_ORDERID: lmi('Our payment id', 'pay_8k2m4q6s8u0w2y4a6c8e0g2j'),
  LMI_PAYMENT_DESC: lmi('The description', 'Order 1042'),
}).meta({ id: 'PreRequest', description: 'Before any code is sent (prerequest: true). Answer 2xx with the body YES to let the payment go on.' });

const envelope = <T extends z.ZodType>(type: string, data: T, name: string) =>
  z.strictObject({
    type: z.literal(type),
    id: z.string().meta({ description: 'The event id (also the webhook-id header): deliveries of one event share it', example: 'ntf_9g1j3l5n7q9s1u3w5y7a9c1e' }),
    created_at: z.iso.datetime().meta({ example: '2026-12-01T10:00:00.000Z' }),
    data,
  }).meta({ id: name });

/** Webhook events of docs/merchant-guide.md#the-json-api and docs/merchant-guide.md#balance-payouts-and-statements: signed by Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature). */
export const WEBHOOK_EVENTS = {
  'payment.succeeded': { schema: envelope('payment.succeeded', paymentObject, 'PaymentSucceededEvent'), summary: 'A payment was paid (or captured): data is the payment' },
  'payment.failed': { schema: envelope('payment.failed', paymentObject, 'PaymentFailedEvent'), summary: 'A payment failed: data is the payment, with failure_reason' },
  'payment.authorized': { schema: envelope('payment.authorized', paymentObject, 'PaymentAuthorizedEvent'), summary: 'A manual-capture payment was authorized: the money is held until captured or voided' },
  'refund.succeeded': { schema: envelope('refund.succeeded', refundObject, 'RefundSucceededEvent'), summary: 'Money went back to a phone: data is the refund' },
  'payout.paid': { schema: envelope('payout.paid', payoutObject, 'PayoutPaidEvent'), summary: 'A payout reached your account: data is the payout, with the bank reference' },
  'payout.failed': { schema: envelope('payout.failed', payoutObject, 'PayoutFailedEvent'), summary: 'A payout came back: the money is in your wallet again' },
} as const;

/** The data of the notification.dead alert (docs/merchant-guide.md#alerts), which goes by mail and SMS, never to the webhook URL. */
export const notificationDeadAlert = z.strictObject({
  id: z.string().meta({ example: 'ntf_9g1j3l5n7q9s1u3w5y7a9c1e' }),
  object: z.literal('notification'),
  kind: z.enum(['result', 'webhook']),
  event_type: z.string().nullable(),
  payment_id: z.string().nullable(),
  attempts: z.number().int(),
}).meta({ id: 'NotificationDeadAlert' });
