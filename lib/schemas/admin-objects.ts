import { z } from 'zod';
import { PAYOUT_SCHEDULES } from '../domain/balance.js';
import { ROLES } from '../domain/office.js';
import { at, currency, mode, money, purse, smsObject, walletObject } from './objects.js';

/** What the operator API (/admin/v1) answers with, beside the merchant API's objects it shares. */
const method = z.enum(['GET', 'POST', 'LINK']);

export const merchantObject = z.strictObject({
  id: z.string().meta({ example: 'mch_2k4m6p8r0t2v4x6z8b0d2f4h' }),
  name: z.string(),
  mode: mode,
  status: z.enum(['active', 'suspended']),
  holder_id: z.string(),
  purse: purse.nullable(),
  purses: z.array(purse),
  payout_schedule: z.enum(PAYOUT_SCHEDULES),
  payout_minimum: money(),
  payout_delay_days: z.number().int(),
  payout_account: z.string().nullable(),
  // the settings of its first shop (docs/merchant-guide.md#shops-methods-and-keys keeps the answer of docs/operator-guide.md#operator-api-and-cli)
  shop_id: z.string().optional(),
  hash_method: z.enum(['sha256', 'md5']).optional(),
  result_url: z.string().nullable().optional(),
  success_url: z.string().nullable().optional(),
  fail_url: z.string().nullable().optional(),
  webhook_url: z.string().nullable().optional(),
  allowed_hosts: z.array(z.string()).optional(),
  success_method: method.optional(),
  fail_method: method.optional(),
  prerequest: z.boolean().optional(),
  require_signed_forms: z.boolean().optional(),
  allow_form_urls: z.boolean().optional(),
  capture: z.enum(['automatic', 'manual']).optional(),
  created_at: at(),
}).meta({ id: 'Merchant' });

export const createdMerchantObject = merchantObject.extend({
  currency: currency,
  api_key: z.string().nullable().meta({ description: 'In this answer only (null when an Idempotency-Key replays it)', example: 'tp_live_…' }),
  secret_key: z.string().nullable().meta({ description: 'In this answer only (null when an Idempotency-Key replays it)' }),
  webhook_secret: z.string().nullable().meta({ description: 'In this answer only (null when an Idempotency-Key replays it)' }),
}).meta({ id: 'CreatedMerchant' });

export const merchantList = z.strictObject({ data: z.array(merchantObject), has_more: z.boolean(), next_cursor: z.string().nullable() }).meta({ id: 'MerchantList' });

export const topUpObject = walletObject.extend({
  transfer_id: z.string().meta({ example: '1187' }),
  amount: money(),
}).meta({ id: 'TopUp' });

/** The operator sees phones masked (docs/operator-guide.md#operator-api-and-cli): the merchant's SMS object with `phone` like +7903*****67. */
const operatorSmsObject = smsObject.extend({ phone: z.string().meta({ description: 'Masked but for the country code and the last digits', example: '+7903*****67' }) }).meta({ id: 'OperatorSms' });
export const operatorSmsList = z.strictObject({ data: z.array(operatorSmsObject) }).meta({ id: 'OperatorSmsList' });

export const feeWalletList = z.strictObject({
  data: z.array(z.strictObject({ currency: currency, mode: mode, purse, balance: money() })),
}).meta({ id: 'FeeWalletList' });

export const payoutRunObject = z.strictObject({
  created: z.number().int().meta({ description: 'Payouts made by this run' }),
  skipped: z.record(z.string(), z.number().int()).meta({ description: 'Wallets left out, by reason' }),
}).meta({ id: 'PayoutRun' });

export const createdUserObject = z.strictObject({
  id: z.string().meta({ example: 'usr_8r0t2v4x6z8b0d2f4h6k8m0p' }),
  object: z.literal('user'),
  email: z.email(),
  role: z.enum(ROLES),
  setup_url: z.url().nullable().meta({ description: 'One-time link to set a password (and an authenticator); in this answer only (null in an Idempotency-Key replay)' }),
  setup_expires_at: at(),
}).meta({ id: 'CreatedUser' });

export const userObject = z.strictObject({
  id: z.string().meta({ example: 'usr_8r0t2v4x6z8b0d2f4h6k8m0p' }),
  object: z.literal('user'),
  merchant_id: z.string(),
  email: z.email(),
  role: z.enum(ROLES),
  status: z.enum(['active', 'disabled']),
  totp: z.boolean().meta({ description: 'Whether an authenticator is enrolled' }),
  setup_pending: z.boolean().meta({ description: 'No password yet: the set-up link was not used' }),
  created_at: at(),
  setup_url: z.url().nullable().meta({ description: 'With reset_password: the new one-time set-up link (72 hours), in this answer only; otherwise null' }),
}).meta({ id: 'User' });

export const limitsObject = z.strictObject({
  phones: z.array(z.strictObject({ phone: z.string(), mode: mode, wrong_codes_today: z.number().int(), locked: z.boolean() })),
  ranges: z.array(z.strictObject({ range: z.string(), sms_this_hour: z.number().int(), window_start: at() })),
  addresses: z.array(z.strictObject({
    address: z.string().meta({ description: 'IPv4 address or IPv6 /64' }), limit: z.enum(['form_payments', 'page_codes', 'page_wrong_codes', 'office_sign_in', 'voucher_wrong_address']),
    hits: z.number().int(), window_start: at(),
  })),
}).meta({ id: 'Limits' });

export const liftObject = z.strictObject({ phone: z.string(), mode: mode, lifted: z.literal(true) }).meta({ id: 'LimitLift' });
export const addressLiftObject = z.strictObject({ address: z.string(), lifted: z.literal(true) }).meta({ id: 'AddressLimitLift' });
export const emailLiftObject = z.strictObject({ email: z.string(), lifted: z.literal(true) }).meta({ id: 'EmailLimitLift' });
export const rangeLiftObject = z.strictObject({ range: z.string(), lifted: z.literal(true) }).meta({ id: 'RangeLimitLift' });
export const apiKeyLiftObject = z.strictObject({ api_key_id: z.string(), lifted: z.literal(true) }).meta({ id: 'ApiKeyLimitLift' });

export const ledgerReportObject = z.strictObject({
  ok: z.boolean().meta({ description: 'Every invariant holds' }),
  checked_at: at(),
  counts: z.record(z.string(), z.number()),
  problems: z.record(z.string(), z.array(z.unknown())).meta({ description: 'Per invariant, what breaks it (empty lists when ok)' }),
}).meta({ id: 'LedgerReport' });
