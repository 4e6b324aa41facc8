import { z } from 'zod';
import type { MerchantId, ShopId, UserId } from '../domain/ids.js';
import { LANGS } from '../i18n/index.js';
import { FEE_REFUNDS, PERCENT, parsePercent } from '../domain/fee.js';
import { PAYOUT_SCHEDULES } from '../domain/balance.js';
import { ROLES } from '../domain/office.js';
import { NO_CONTROL, alertsInput, limitParam, amountInput, amountOrZeroInput, currencyInput, displayName, httpUrl, modeInput, phoneInput, redirectMethodInput } from './common.js';
import { idParam } from './payments.js';
import { unlessMissing } from './plain-errors.js';
import { clientAddress } from '../domain/addresses.js';
import { RECEIPT_CHANNELS } from '../domain/receipt.js';
import { brandInput } from './brand.js';

const hostname = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[a-z0-9.-]+$|^\[[0-9a-f:.]+\]$/i, 'a host name such as shop.example.com');

export const createMerchantBody = z.strictObject({
  name: displayName,
  currency: currencyInput.default('USD'),
  result_url: httpUrl.optional(),
  success_url: httpUrl.optional(),
  fail_url: httpUrl.optional(),
  webhook_url: httpUrl.optional(),
  allowed_hosts: z.array(hostname).max(20).default([]),
  hash_method: z.enum(['sha256', 'md5']).default('sha256'),
  prerequest: z.boolean().default(false),
  require_signed_forms: z.boolean().default(false),
  allow_form_urls: z.boolean().default(false),
  success_method: redirectMethodInput.default('GET'),
  fail_method: redirectMethodInput.default('GET'),
  capture: z.enum(['automatic', 'manual']).default('automatic'),
  mode: modeInput.default('live'),
});

export const createWalletBody = z.strictObject({
  currency: currencyInput,
  phone: phoneInput.optional(),
  mode: modeInput.default('live'),
});

export const topUpBody = z.strictObject({ amount: amountInput });

export const listMessagesQuery = z.strictObject({
  payment_id: idParam.optional(),
  phone: phoneInput.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export type CreateMerchantBody = z.output<typeof createMerchantBody>;
export type CreateWalletBody = z.output<typeof createWalletBody>;
export type TopUpBody = z.output<typeof topUpBody>;
export type ListMessagesQuery = z.output<typeof listMessagesQuery>;

export const merchantIdParam = z.string().regex(/^mch_[0-9a-z]{24,}$/, 'a merchant id looks like mch_ and letters or digits').transform((v) => v as MerchantId);

export const listMerchantsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: merchantIdParam.optional(),
});

/** A PATCH changes something: `{}` is refused (the documents say minProperties: 1). */
const atLeastOne: [(b: object) => boolean, { message: string; path: string[] }] = [(b) => Object.values(b).some((v) => v !== undefined), { message: 'send at least one setting', path: ['(body)'] }];

export const updateMerchantBody = z.strictObject({
  name: displayName.optional(),
  status: z.enum(['active', 'suspended'], { error: unlessMissing('status must be "active" or "suspended"') }).optional(),
  // docs/merchant-guide.md#balance-payouts-and-statements: how and when the merchant is paid
  payout_schedule: z.enum(PAYOUT_SCHEDULES, { error: unlessMissing('payout_schedule is "manual", "daily", "weekly" or "monthly"') }).optional(),
  payout_minimum: amountOrZeroInput.optional(),
  payout_delay_days: z.number({ error: unlessMissing('payout_delay_days is a whole number of days, 0 to 30') }).int('payout_delay_days is a whole number of days, 0 to 30')
    .min(0, 'payout_delay_days is 0 to 30').max(30, 'payout_delay_days is 0 to 30').optional(),
  payout_account: z.string().trim().min(1, 'payout_account is not empty (send null to clear it)').max(200, 'payout_account is at most 200 characters')
    .regex(NO_CONTROL, 'payout_account has no control characters').nullable().optional(),
}).refine(...atLeastOne).meta({ minProperties: 1 });

export type UpdateMerchantBody = z.output<typeof updateMerchantBody>;
export type ListMerchantsQuery = z.output<typeof listMerchantsQuery>;

const shopMethod = z.enum(['code', 'link', 'manual_capture'], { error: unlessMissing('a method is "code", "link" or "manual_capture"') });

/** The settings of a shop (docs/merchant-guide.md#shops-methods-and-keys), as the operator and the merchant send them. */
const shopSettings = {
  result_url: httpUrl.nullable().optional(),
  success_url: httpUrl.nullable().optional(),
  fail_url: httpUrl.nullable().optional(),
  webhook_url: httpUrl.nullable().optional(),
  allowed_hosts: z.array(hostname).max(20).optional(),
  hash_method: z.enum(['sha256', 'md5']).optional(),
  prerequest: z.boolean().optional(),
  require_signed_forms: z.boolean().optional(),
  allow_form_urls: z.boolean().optional(),
  success_method: redirectMethodInput.optional(),
  fail_method: redirectMethodInput.optional(),
  capture: z.enum(['automatic', 'manual']).optional(),
  status: z.enum(['active', 'disabled'], { error: unlessMissing('status must be "active" or "disabled"') }).optional(),
  methods: z.array(shopMethod).min(1, 'methods must name at least one method').max(3).refine((m) => new Set(m).size === m.length, 'methods are listed once each').meta({ uniqueItems: true }).optional(),
  lang: z.enum(LANGS, { error: unlessMissing(`lang is one of ${LANGS.join(', ')}`) }).optional(),
  alerts: alertsInput.optional(),
  // docs/buyer-guide.md#receipts: how the buyer gets receipts
  receipt: z.strictObject({
    channel: z.enum(RECEIPT_CHANNELS, { error: unlessMissing('receipt.channel is "sms", "whatsapp" or "none"') }),
  }).optional(),
  // docs/merchant-guide.md#brand
  brand: brandInput.optional(),
};

export const createShopBody = z.strictObject({ name: displayName, currency: currencyInput, ...shopSettings });
/** A shop's fee (docs/merchant-guide.md#fees), set by the operator only: decimal strings, percent 0–100 with up to two decimals. */
export const feeInput = z.strictObject({
  percent: z.string({ error: unlessMissing('percent is a decimal string such as "3.00"') }).regex(PERCENT, 'percent is 0 to 100 with at most two decimals').transform((v) => parsePercent(v)!),
  fixed: amountOrZeroInput.optional(),
  refund: z.enum(FEE_REFUNDS, { error: unlessMissing('refund is "keep" or "return"') }).optional(),
});

export const adminUpdateShopBody = z.strictObject({ name: displayName.optional(), ...shopSettings, fee: feeInput.nullable().optional() })
  .refine(...atLeastOne).meta({ minProperties: 1 });

export const updateShopBody = z.strictObject({ name: displayName.optional(), ...shopSettings }).refine(...atLeastOne).meta({ minProperties: 1 });
export const shopIdParam = z.string().regex(/^shp_[0-9a-z]{24,}$/, 'a shop id looks like shp_ and letters or digits').transform((v) => v as ShopId);
export const addShopWalletBody = z.strictObject({ currency: currencyInput });
/** GET /shops/{id}/alert_log: newest first, paged by the id of the last entry. */
export const alertLogQuery = z.strictObject({
  limit: limitParam(),
  cursor: z.string().regex(/^\d{1,18}$/, 'cursor is the next_cursor of the previous page').optional().meta({ description: 'next_cursor of the previous page' }),
});

export type CreateShopBody = z.output<typeof createShopBody>;
export type UpdateShopBody = z.output<typeof updateShopBody>;
export type AdminUpdateShopBody = z.output<typeof adminUpdateShopBody>;

export const listFeesQuery = z.strictObject({ currency: currencyInput.optional(), mode: modeInput.optional() });
export type ListFeesQuery = z.output<typeof listFeesQuery>;

/** docs/merchant-guide.md#back-office: a back-office user, created by the operator. */
export const createUserBody = z.strictObject({
  email: z.email({ error: unlessMissing('email is not an e-mail address') }).max(254).transform((v) => v.toLowerCase()),
  role: z.enum(ROLES, { error: unlessMissing('role is "owner", "staff" or "viewer"') }),
});
export type CreateUserBody = z.output<typeof createUserBody>;

export const userIdParam = z.string().regex(/^usr_[0-9a-z]{24,}$/, 'a user id looks like usr_ and letters or digits').transform((v) => v as UserId);

// docs/merchant-guide.md#back-office "Users": the operator's changes to a back-office user
export const updateUserBody = z.strictObject({
  role: z.enum(ROLES, { error: unlessMissing('role is "owner", "staff" or "viewer"') }).optional(),
  status: z.enum(['active', 'disabled'], { error: unlessMissing('status is "active" or "disabled"') }).optional()
    .meta({ description: 'disabled: the user cannot sign in, and every session of it ends at once' }),
  reset_password: z.literal(true, { error: unlessMissing('reset_password is true when sent') }).optional()
    .meta({ description: 'The password is removed, every session ends, and a new set-up link is in this answer only' }),
  reset_totp: z.literal(true, { error: unlessMissing('reset_totp is true when sent') }).optional()
    .meta({ description: 'The authenticator is removed; the user enrols a new one (at once when the merchant requires one)' }),
}).refine(...atLeastOne).meta({ minProperties: 1 });
export type UpdateUserBody = z.output<typeof updateUserBody>;

export const liftQuery = z.strictObject({ mode: modeInput.default('live') });

/** A client address to lift (docs/merchant-guide.md#abuse-limits): IPv4, or any IPv6 address of a /64 (or the /64 itself); answers with the key the limits use. */
export const addressParam = z.string().max(60)
  .transform((v) => clientAddress(v.replace(/\/64$/, '')))
  .refine((v) => v !== 'unknown', 'an IPv4 address, or an IPv6 address or /64, such as 2001:db8:1:2::/64')
  .meta({ description: 'IPv4 address, or an IPv6 address or /64', example: '2001:db8:1:2::/64' });

/** A back-office e-mail whose sign-in lock to lift. */
export const emailParam = z.email({ error: 'an e-mail address, such as owner@shop.example' }).max(254).transform((v) => v.toLowerCase())
  .meta({ description: 'The e-mail of a back-office user', example: 'owner@shop.example' });

/** A number range to lift: a phone without its last 4 digits, with or without + and spaces. */
export const rangeParam = z.string().max(30)
  .regex(/^\+?[0-9 ()-]+$/, 'a number range is the first digits of a phone number, such as +7903123')
  .transform((v) => v.replace(/\D/g, ''))
  .refine((v) => v.length >= 3 && v.length <= 11, 'a number range is a phone number without its last 4 digits, such as +7903123')
  .meta({ description: 'The first digits of a phone number (the phone without its last 4)', example: '+7903123' });
