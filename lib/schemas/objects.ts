import { z } from 'zod';
import { PAYMENT_STATUSES } from '../domain/payment.js';
import { FEE_REFUNDS } from '../domain/fee.js';
import { FORMATTED_AMOUNT } from '../domain/money.js';
import { CURRENCIES } from '../domain/currency.js';
import { BALANCE_TRANSACTION_TYPES } from '../domain/balance.js';
import { ALERT_EVENTS } from '../domain/alerts.js';
import { RECEIPT_CHANNELS } from '../domain/receipt.js';
import { brandObject } from './brand.js';
import type { ProblemExtra } from '../domain/errors.js';

/**
 * The objects the API answers with, as the presenters build them: the OpenAPI document's response
 * schemas, and what the documentation test checks real answers against (strict: a field added to a
 * presenter and not here fails it).
 */
const id = (prefix: string, example: string) => z.string().regex(new RegExp(`^${prefix}_[0-9a-z]{24,}$`)).meta({ example });
export const at = (description?: string) => z.iso.datetime().meta({ description, example: '2026-12-01T10:00:00.000Z' });
export const money = (description?: string) => z.string().regex(FORMATTED_AMOUNT).meta({ description, example: '12.08' });
export const currency = z.enum(CURRENCIES);
export const mode = z.enum(['live', 'test']);
export const purse = z.string().regex(/^[ZERU]\d{12}$/).meta({ description: 'A wallet: currency letter and 12 digits', example: 'Z100000000012' });
const phone = z.string().regex(/^\+\d{7,15}$/).meta({ description: 'E.164 with +', example: '+79031234567' });
// docs/operator-guide.md#personal-data-what-is-kept-for-how-long-and-why: a kept record's phone, masked after the retention window or an erasure
const keptPhone = z.string().regex(/^\+[0-9*]{7,15}$/).meta({ description: 'E.164 with +; masked to its last 2 digits (+*********67) after RETENTION_DAYS or an erasure', example: '+79031234567' });

export const paymentId = id('pay', 'pay_8k2m4q6s8u0w2y4a6c8e0g2j');
export const shopId = id('shp', 'shp_3b5d7f9h1k3m5p7r9t1v3x5z');

export const paymentObject = z.strictObject({
  id: paymentId,
  object: z.literal('payment'),
  shop_id: shopId.meta({ description: 'The shop of the payee purse' }),
  invoice_no: z.number().int().meta({ description: 'LMI_SYS_INVS_NO: our number of the payment' }),
  transaction_no: z.number().int().nullable().meta({ description: 'LMI_SYS_TRANS_NO, once money moved' }),
  status: z.enum(PAYMENT_STATUSES),
  amount: money('What the buyer is asked to pay'),
  currency,
  amount_captured: money(),
  amount_refunded: money(),
  fee: money('The fee kept by the operator (docs/merchant-guide.md#fees), after any fee returned by refunds'),
  net: money('What reached the merchant: amount_captured − fee'),
  phone: keptPhone.nullable().meta({ description: "The buyer's phone, E.164; masked to its last 2 digits after RETENTION_DAYS or an erasure" }),
  email: z.email().nullable().meta({ description: 'The e-mail the buyer gave for the receipt (LMI_PAYMER_EMAIL or `email`); null if none, and after RETENTION_DAYS or an erasure' }),
  payment_no: z.number().int().nullable().meta({ description: "The merchant's order number" }),
  payee_purse: purse,
  payer_purse: purse.nullable(),
  description: z.string(),
  capture: z.enum(['automatic', 'manual']),
  mode,
  pay_url: z.url().meta({ description: 'The hosted page of this payment' }),
  link_url: z.url().nullable().meta({ description: 'The short pay link sent by SMS (send: link)' }),
  created_at: at(),
  expires_at: at('An open payment expires then'),
  paid_at: at().nullable(),
  failure_reason: z.string().nullable().meta({ description: 'wrong_code, too_many_attempts, insufficient_funds, no_wallet, declined_by_merchant, cancelled, simulated or expired' }),
  metadata: z.record(z.string(), z.string()),
}).meta({ id: 'Payment' });

/** The answer of a step that sent a code: the payment, with when the code dies and how many more may be sent. */
export const paymentWithCodeObject = paymentObject.extend({
  code_expires_at: at('The code dies then; a resend makes a new one'),
  codes_left: z.number().int().meta({ description: 'Codes that may still be sent for this payment' }),
}).meta({ id: 'PaymentWithCode' });

export const problemObject = z.object({
  type: z.string().meta({ example: '/docs#problem-invalid_request' }),
  title: z.string().meta({ example: 'The request is not valid' }),
  status: z.number().int().meta({ example: 400 }),
  code: z.string().meta({ description: 'Stable error code, see the catalogue at /docs', example: 'invalid_request' }),
  detail: z.string().meta({ example: 'The field "amount" is required.' }),
  request_id: z.string().meta({ example: '0b5c2f0e-6a3e-4c1a-9a55-2f7b8c1d9e10' }),
  errors: z.array(z.object({ field: z.string(), message: z.string(), in: z.enum(['body', 'query', 'path', 'options']).optional() })).optional()
    .meta({ description: 'invalid_request: each field at fault, in plain words' }),
  tries_left: z.number().int().optional().meta({ description: 'code_invalid: wrong codes this payment may still take' }),
  retry_after: z.number().int().optional().meta({ description: 'rate_limited: seconds to wait (also the Retry-After header)' }),
  limit: z.string().optional().meta({ description: 'rate_limited: which limit of docs/merchant-guide.md#abuse-limits' }),
  payment_status: z.enum(PAYMENT_STATUSES).optional().meta({ description: 'invalid_state: the status the payment is in' }),
  failure_reason: z.string().optional().meta({ description: 'invalid_state: why the payment failed, when it just did' }),
  refundable: money('refund_exceeds_payment: what can still be refunded').optional(),
  payment_id: paymentId.optional().meta({ description: 'already_paid, payment_no_conflict: the payment of this order number' }),
  payout_status: z.enum(['pending', 'paid', 'failed']).optional().meta({ description: 'payout_not_pending: the status the payout is in' }),
  purse: purse.optional().meta({ description: 'insufficient_funds: the wallet short of money' }),
  method: z.enum(['code', 'link', 'manual_capture']).optional().meta({ description: 'method_not_enabled: the method the shop does not offer' }),
}).meta({ id: 'Problem' });

// every member an AppError may carry (domain/errors.ts) is documented above, or this names the missing one and does not compile
type Undocumented = Exclude<keyof ProblemExtra, keyof z.infer<typeof problemObject>>;
export const everyProblemMemberDocumented: [Undocumented] extends [never] ? true : Undocumented = true;

export const refundObject = z.strictObject({
  id: id('rfd', 'rfd_5c7e9g1j3l5n7q9s1u3w5y7a'),
  object: z.literal('refund'),
  payment_id: paymentId,
  status: z.literal('succeeded'),
  amount: money(),
  currency,
  phone: keptPhone.meta({ description: 'The phone whose wallet got the money; masked to its last 2 digits after RETENTION_DAYS or an erasure' }),
  purse,
  transaction_no: z.number().int(),
  created_at: at(),
}).meta({ id: 'Refund' });

const list = <T extends z.ZodType>(item: T, name: string, paged = true) =>
  z.strictObject({
    data: z.array(item),
    has_more: z.boolean().meta({ description: paged ? 'More items follow: ask again with cursor=next_cursor' : 'Always false: the whole list is here' }),
    next_cursor: z.string().nullable(),
  }).meta({ id: name });

export const paymentList = list(paymentObject, 'PaymentList');
export const refundList = list(refundObject, 'RefundList', false);

export const smsObject = z.strictObject({
  id: id('sms', 'sms_7e9g1j3l5n7q9s1u3w5y7a9c'),
  object: z.literal('sms'),
  payment_id: paymentId.nullable(),
  kind: z.string().meta({ description: 'code, link, refund, receipt or alert' }),
  channel: z.enum(['sms', 'whatsapp']).meta({ description: 'sms, or whatsapp (a pay link or receipt sent as a WhatsApp template message; codes always go by SMS)' }),
  phone: keptPhone,
  text: z.string().meta({ description: 'As sent (for WhatsApp: the same text as the SMS would carry), with any code or pay-link token blanked out' }),
  lang: z.string(),
  status: z.string().meta({ description: 'queued, sent, delivered, read (WhatsApp only), failed, or unknown (the gateway gave no clear answer: it may have gone out, and is not sent again)' }),
  gateway: z.string().nullable(),
  gateway_message_id: z.string().nullable(),
  error: z.string().nullable(),
  created_at: at(),
  updated_at: at(),
}).meta({ id: 'Sms' });
export const smsList = list(smsObject, 'SmsList', false);

export const attemptObject = z.strictObject({
  at: at(),
  http_status: z.number().int().nullable(),
  latency_ms: z.number().int().nullable(),
  error: z.string().nullable(),
}).meta({ id: 'DeliveryAttempt' });
export const attemptList = list(attemptObject, 'DeliveryAttemptList');

export const notificationObject = z.strictObject({
  id: id('ntf', 'ntf_9g1j3l5n7q9s1u3w5y7a9c1e'),
  object: z.literal('notification'),
  kind: z.enum(['result', 'prerequest', 'webhook', 'sms', 'mail']),
  event_type: z.string().nullable(),
  payment_id: paymentId.nullable(),
  url: z.string().nullable(),
  status: z.enum(['pending', 'delivered', 'dead']),
  attempts: z.array(attemptObject).meta({ description: 'The latest attempts; every one is at GET /notifications/{id}/attempts' }),
  attempt_count: z.number().int(),
  next_attempt_at: at().nullable(),
  created_at: at(),
  delivered_at: at().nullable(),
  content_type: z.string(),
  body: z.string().nullable().meta({ description: 'As sent (an SMS body is not shown)' }),
}).meta({ id: 'Notification' });
export const notificationList = list(notificationObject, 'NotificationList', false);

export const apiKeyObject = z.strictObject({
  id: id('key', 'key_1j3l5n7q9s1u3w5y7a9c1e3g'),
  object: z.literal('api_key'),
  name: z.string(),
  prefix: z.string().meta({ description: 'The first characters, to tell keys apart', example: 'tp_test_4f' }),
  mode,
  created_at: at(),
  last_used_at: at().nullable(),
  revoked_at: at().nullable(),
}).meta({ id: 'ApiKey' });
export const apiKeyList = list(apiKeyObject, 'ApiKeyList', false);
export const createdApiKeyObject = apiKeyObject.extend({
  key: z.string().nullable().meta({ description: 'The key itself: in this answer only (null when an Idempotency-Key replays it)', example: 'tp_test_4f…' }),
}).meta({ id: 'CreatedApiKey' });

const feeObject = z.strictObject({ percent: z.string(), fixed: money(), refund: z.enum(FEE_REFUNDS) });

export const shopObject = z.strictObject({
  id: shopId,
  object: z.literal('shop'),
  merchant_id: id('mch', 'mch_2k4m6p8r0t2v4x6z8b0d2f4h'),
  name: z.string(),
  status: z.enum(['active', 'disabled']),
  methods: z.array(z.enum(['code', 'link', 'manual_capture'])),
  lang: z.string().nullable(),
  purse: purse.nullable(),
  purses: z.array(z.strictObject({ purse, currency })),
  result_url: z.string().nullable(),
  success_url: z.string().nullable(),
  fail_url: z.string().nullable(),
  webhook_url: z.string().nullable(),
  allowed_hosts: z.array(z.string()),
  hash_method: z.enum(['sha256', 'md5']),
  prerequest: z.boolean(),
  require_signed_forms: z.boolean(),
  allow_form_urls: z.boolean(),
  success_method: z.enum(['GET', 'POST', 'LINK']),
  fail_method: z.enum(['GET', 'POST', 'LINK']),
  capture: z.enum(['automatic', 'manual']),
  fee: feeObject.nullable().meta({ description: "The shop's own fee; null: the operator's default applies" }),
  alerts: z.strictObject({
    emails: z.array(z.string()), phones: z.array(z.string()), events: z.array(z.enum(ALERT_EVENTS)),
    recipients: z.array(z.strictObject({
      to: z.string().meta({ description: 'The e-mail address, or the phone in E.164 with +' }),
      kind: z.enum(['email', 'phone']),
      state: z.enum(['pending', 'confirmed']).meta({ description: 'pending: the recipient got a confirmation link (valid 72 h) and hears nothing until it clicks it' }),
    })).meta({ description: 'Every e-mail and phone of the alerts with its state: only confirmed recipients get alerts' }),
  }),
  receipt: z.strictObject({
    channel: z.enum(RECEIPT_CHANNELS).meta({ description: 'How the buyer gets the receipt of each payment and refund: sms (default), whatsapp (only where the operator set up WhatsApp) or none' }),
  }),
  brand: brandObject,
  webhook_secret_rotated_at: at().nullable(),
  created_at: at(),
}).meta({ id: 'Shop' });
export const shopList = list(shopObject, 'ShopList', false);
export const alertLogEntryObject = z.strictObject({
  id: z.string().meta({ example: '42' }),
  object: z.literal('alert_log_entry'),
  at: at(),
  what: z.enum(['confirmation_sent', 'confirmation_refused', 'confirmation_failed', 'confirmed', 'alert_dropped'])
    .meta({ description: 'A confirmation link sent, refused by a limit or not taken by the gateway; a recipient that clicked; an alert a limit dropped (never retried)' }),
  kind: z.enum(['email', 'phone']),
  to: z.string().meta({ description: 'The e-mail address, or the phone in E.164 with +' }),
  event_type: z.enum(ALERT_EVENTS).nullable().meta({ description: 'The event of a dropped alert' }),
  reason: z.string().nullable().meta({ description: 'Why it was refused, dropped or failed: country_not_allowed, rate_limited:<limit> (alert_sms, range_sms, sms_budget, alert_confirmations), or the gateway\'s error' }),
  notification_id: z.string().nullable().meta({ description: 'The dropped alert in the notifications' }),
}).meta({ id: 'AlertLogEntry' });
export const alertLogList = list(alertLogEntryObject, 'AlertLogList');
export const createdShopObject = shopObject.extend({
  secret_key: z.string().nullable().meta({ description: 'Signs LMI_HASH: in this answer only (null when an Idempotency-Key replays it)' }),
  webhook_secret: z.string().nullable().meta({ description: 'Signs webhooks: in this answer only (null when an Idempotency-Key replays it)' }),
}).meta({ id: 'CreatedShop' });
export const rotatedSecretObject = shopObject.extend({
  secret_key: z.string().nullable().optional().meta({ description: 'The new secret key (POST …/secret_key): in this answer only (null when an Idempotency-Key replays it)' }),
  webhook_secret: z.string().nullable().optional().meta({ description: 'The new webhook secret (POST …/webhook_secret): in this answer only (null when an Idempotency-Key replays it)' }),
}).meta({ id: 'ShopWithNewSecret' });

export const walletObject = z.strictObject({
  purse,
  holder_id: z.string(),
  currency,
  kind: z.string().meta({ description: 'phone, merchant, issuance, fee or clearing' }),
  mode,
  phone: phone.nullable(),
  balance: money(),
  held: money('Authorized and not captured yet'),
  available: money('balance − held'),
  created_at: at(),
}).meta({ id: 'Wallet' });

export const testSmsObject = z.strictObject({
  id: z.string(),
  payment_id: paymentId.nullable(),
  kind: z.string(),
  text: z.string().meta({ description: 'The SMS as the test phone got it, code included' }),
  code: z.string().nullable().meta({ example: '4821' }),
  status: z.string(),
  created_at: at(),
}).meta({ id: 'TestSms' });
export const testSmsList = z.strictObject({ data: z.array(testSmsObject) }).meta({ id: 'TestSmsList' });

export const balanceObject = z.strictObject({
  purse,
  currency,
  shop_id: shopId.nullable(),
  balance: money(),
  held: money(),
  pending: money('Not available yet (payout_delay_days)'),
  payable: money('What a payout would send now'),
}).meta({ id: 'Balance' });
export const balanceList = z.strictObject({ data: z.array(balanceObject) }).meta({ id: 'BalanceList' });

export const balanceTransactionObject = z.strictObject({
  id: z.string().regex(/^txn_[0-9a-z_]+$/).meta({ example: 'txn_4m6p8r0t2v4x6z8b0d2f4h6k' }),
  object: z.literal('balance_transaction'),
  type: z.enum(BALANCE_TRANSACTION_TYPES),
  purse,
  currency,
  amount: money(),
  fee: money(),
  net: money(),
  source: z.string().meta({ description: 'The payment, refund, payout or adjustment it comes from' }),
  created_at: at(),
  available_on: at('From then on it can be paid out'),
  payout_id: z.string().nullable(),
}).meta({ id: 'BalanceTransaction' });
export const balanceTransactionList = list(balanceTransactionObject, 'BalanceTransactionList');

export const payoutObject = z.strictObject({
  id: id('po', 'po_6p8r0t2v4x6z8b0d2f4h6k8m'),
  object: z.literal('payout'),
  status: z.enum(['pending', 'paid', 'failed']),
  purse,
  shop_id: shopId.nullable(),
  amount: money(),
  currency,
  trigger: z.enum(['schedule', 'request']),
  period: z.string().nullable(),
  payout_account: z.string().nullable(),
  reference: z.string().nullable().meta({ description: "The bank's reference, once paid" }),
  failure_reason: z.string().nullable(),
  transaction_no: z.number().int().nullable(),
  created_at: at(),
  paid_at: at().nullable(),
  failed_at: at().nullable(),
}).meta({ id: 'Payout' });
export const payoutList = list(payoutObject, 'PayoutList');
