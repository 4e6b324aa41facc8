import { z } from 'zod';
import { amountInput, cursorParam, dateOrDateTime, limitParam, httpUrl, langTagInput, phoneInput, purseParam, redirectMethodInput } from './common.js';
import { PAYMENT_STATUSES } from '../domain/payment.js';
import { PAYMENT_ID_PATTERN, type ApiKeyId, type NotificationId, type PaymentId, type ShopId } from '../domain/ids.js';
import { unlessMissing } from './plain-errors.js';

const PAYMENT_NO_RULE = 'payment_no is an integer 0..2147483647';
const inPaymentNoRange = (n: bigint) => n >= 0n && n <= 2147483647n;

/** In JSON a number, as the merchant guide's payment object shows it; a string there is a type error, not a number. */
export const paymentNoInput = z
  .number({ error: unlessMissing('payment_no must be a JSON number (an integer 0..2147483647)') })
  .int(PAYMENT_NO_RULE)
  .refine((n) => inPaymentNoRange(BigInt(n)), PAYMENT_NO_RULE)
  .transform((n) => BigInt(n))
  .meta({ description: "The merchant's order number, 0..2147483647", example: 1042 });

/** In a query string every value is text: digits only. */
export const paymentNoQuery = z
  .string()
  .regex(/^\d{1,10}$/, PAYMENT_NO_RULE)
  .transform((v) => BigInt(v))
  .refine(inPaymentNoRange, PAYMENT_NO_RULE);

export const metadataInput = z
  .record(z.string().min(1).max(40), z.string().max(500))
  .refine((m) => Object.keys(m).length <= 20, 'at most 20 metadata keys')
  .meta({ description: 'Up to 20 string keys and values, returned with the payment and in webhooks', maxProperties: 20 });

/** The buyer's e-mail: the receipt goes there too (docs/buyer-guide.md#receipts); kept lower-case. */
export const buyerEmailInput = z.email({ error: unlessMissing('email is an e-mail address such as buyer@example.com') }).max(254, 'email is at most 254 characters')
  .transform((v) => v.toLowerCase())
  .meta({ description: "The buyer's e-mail address: the receipt of the payment and of each refund is sent there too", example: 'buyer@example.com' });

export const createPaymentBody = z.strictObject({
  payee_purse: purseParam.meta({ description: "The merchant's wallet to credit", example: 'Z123456789012' }),
  amount: amountInput,
  payment_no: paymentNoInput.optional(),
  description: z.string().max(255, 'description is at most 255 characters').optional(),
  phone: phoneInput.optional().meta({ description: 'With a phone, the code (or the pay link) is sent at once' }),
  send: z.enum(['code', 'link']).optional().meta({ description: 'With phone: send the code (default) or an SMS with the pay link' }),
  channel: z.enum(['sms', 'whatsapp']).optional().meta({ description: 'With send "link": by SMS (default) or by WhatsApp (only where the operator configured it, else 422 channel_not_configured)' }),
  result_url: httpUrl.optional(),
  success_url: httpUrl.optional(),
  fail_url: httpUrl.optional(),
  success_method: redirectMethodInput.optional(),
  fail_method: redirectMethodInput.optional(),
  capture: z.enum(['automatic', 'manual']).optional().meta({ description: 'manual: the code authorizes, the money is held until captured' }),
  metadata: metadataInput.optional(),
  lang: langTagInput.optional(),
  email: buyerEmailInput.optional(),
}).refine((b) => b.send === undefined || b.phone !== undefined, { message: 'send needs a phone', path: ['send'] })
  .refine((b) => b.channel === undefined || b.send === 'link', { message: 'channel goes with send "link" (codes always go by SMS)', path: ['channel'] })
  .meta({ dependentRequired: { send: ['phone'] } });

export const phoneBody = z.strictObject({ phone: phoneInput });

export const confirmBody = z.strictObject({
  // CODE_LENGTH is 4 to 8 (config): the use-case then checks the length this service sends
  code: z.string({ error: unlessMissing('code is a string of digits') }).regex(/^\d{4,8}$/, 'code is 4 to 8 digits').meta({ description: 'The code from the SMS (CODE_LENGTH digits, 4 by default)', example: '4821' }),
});

export const emptyBody = z.strictObject({});

export const listPaymentsQuery = z.strictObject({
  status: z.enum(PAYMENT_STATUSES).optional().meta({ description: 'Only payments in this status' }),
  phone: phoneInput.optional().meta({ description: "Only payments of this buyer's phone" }),
  payment_no: paymentNoQuery.optional().meta({ description: 'Only payments of this order number', example: '1042' }),
  created_from: dateOrDateTime.optional().meta({ description: 'Created at or after (a date means midnight UTC)' }),
  created_to: dateOrDateTime.optional().meta({ description: 'Created before (exclusive; a date means midnight UTC)' }),
  limit: limitParam(),
  cursor: cursorParam,
  shop_id: z.string().regex(/^shp_[0-9a-z]{24,}$/, 'a shop id looks like shp_ and letters or digits').transform((v) => v as ShopId).optional().meta({ description: 'Only this shop' }),
});

export const testSmsQuery = z.strictObject({ phone: phoneInput.meta({ description: 'The test phone whose SMS to read', example: '+12025550101' }) });

export const idParam = z.string().regex(PAYMENT_ID_PATTERN, 'a payment id looks like pay_ and 24 letters or digits').transform((v) => v as PaymentId);

export const refundBody = z.strictObject({
  amount: amountInput.optional().meta({ description: 'Default: what is left of the payment' }),
  phone: phoneInput.optional().meta({ description: "Default: the payer's phone; another phone gets the money in its wallet of the payment's currency" }),
});

export const captureBody = z.strictObject({
  amount: amountInput.optional().meta({ description: 'Default: the whole authorized amount; the rest of the hold is released' }),
});

export const attemptsQuery = z.strictObject({
  limit: limitParam(),
  cursor: cursorParam,
  shop_id: z.string().regex(/^shp_[0-9a-z]{24,}$/, 'a shop id looks like shp_ and letters or digits').transform((v) => v as ShopId).optional().meta({ description: 'Only this shop' }),
});

export type CreatePaymentBody = z.output<typeof createPaymentBody>;
export type RefundBody = z.output<typeof refundBody>;

/** A notification id of the path; a malformed one is as unknown as a missing one. */
export const notificationIdParam = z.string().regex(/^ntf_[0-9a-z]{24}$/, 'a notification id looks like ntf_ and 24 letters or digits').transform((v) => v as NotificationId);

export const createApiKeyBody = z.strictObject({
  name: z.string({ error: unlessMissing('name must be a string') }).trim().max(100, 'name is at most 100 characters').optional(),
});

export const apiKeyIdParam = z.string().regex(/^key_[0-9a-z]{24}$/, 'an API key id looks like key_ and 24 letters or digits').transform((v) => v as ApiKeyId);
