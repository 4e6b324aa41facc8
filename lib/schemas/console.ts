import { z } from 'zod';
import { CONSOLE_ROLES } from '../domain/console.js';
import { PAYMENT_STATUSES } from '../domain/payment.js';
import { LANGS } from '../i18n/index.js';
import { cursorParam, limitParam } from './common.js';
import { merchantIdParam, userIdParam } from './admin.js';
import { unlessMissing } from './plain-errors.js';

// an empty field of a GET form is "no filter"
const blank = (v: unknown) => (v === '' ? undefined : v);
const atLeastOne: [(b: object) => boolean, { message: string; path: string[] }] = [(b) => Object.values(b).some((v) => v !== undefined), { message: 'send at least one setting', path: ['(body)'] }];
const email = z.email({ error: unlessMissing('email is not an e-mail address') }).max(254).transform((v) => v.toLowerCase());

/** docs/operator-guide.md#operator-console: a payment id, invoice, order number or phone, across every merchant. */
export const searchPaymentsQuery = z.strictObject({
  q: z.preprocess(blank, z.string().max(100).optional()).meta({ description: 'A payment id, an invoice number, an order number or a phone (any punctuation)' }),
  status: z.preprocess(blank, z.enum(PAYMENT_STATUSES).optional()),
  limit: limitParam(),
  cursor: cursorParam,
});
export type SearchPaymentsQuery = z.output<typeof searchPaymentsQuery>;

/** The console's payments page: the same search, and its language. */
export const consolePaymentsQuery = searchPaymentsQuery.extend({ lang: z.enum(LANGS).optional() });

/** GET /admin/v1/users: merchants' users across merchants. */
export const listUsersQuery = z.strictObject({
  merchant_id: merchantIdParam.optional(),
  email: email.optional(),
  limit: limitParam(),
  cursor: userIdParam.optional(),
});
export type ListUsersQuery = z.output<typeof listUsersQuery>;

/** An operator user (docs/operator-guide.md#operator-console), by the CLI or the admin API. */
export const createOperatorBody = z.strictObject({
  email,
  role: z.enum(CONSOLE_ROLES, { error: unlessMissing('role is "admin", "finance", "support" or "cashier"') }),
});
export type CreateOperatorBody = z.output<typeof createOperatorBody>;

export const updateOperatorBody = z.strictObject({
  role: z.enum(CONSOLE_ROLES, { error: unlessMissing('role is "admin", "finance", "support" or "cashier"') }).optional(),
  status: z.enum(['active', 'disabled'], { error: unlessMissing('status is "active" or "disabled"') }).optional()
    .meta({ description: 'disabled: the operator cannot sign in, and every session of it ends at once' }),
  reset: z.literal(true, { error: unlessMissing('reset is true when sent') }).optional()
    .meta({ description: 'The password is removed, every session ends, and a new set-up link is in this answer only' }),
  reset_totp: z.literal(true, { error: unlessMissing('reset_totp is true when sent') }).optional()
    .meta({ description: 'The authenticator is removed; admin and finance enrol a new one at their next sign-in' }),
}).refine(...atLeastOne).meta({ minProperties: 1 });
export type UpdateOperatorBody = z.output<typeof updateOperatorBody>;

export { userIdParam as operatorIdParam };

const operatorRole = z.enum(CONSOLE_ROLES);
/** What the admin API answers about operator users and across merchants (docs/operator-guide.md#operator-console). */
export const createdOperatorObject = z.strictObject({
  id: z.string().meta({ example: 'usr_3c5e7g9j1l3n5q7s9u1w3y5a' }),
  object: z.literal('operator'),
  email: z.email(),
  role: operatorRole,
  status: z.literal('active'),
  setup_url: z.url().nullable().meta({ description: 'One-time link (72 hours) to /console/setup; in this answer only (null in an Idempotency-Key replay)' }),
  setup_expires_at: z.string().meta({ format: 'date-time' }),
}).meta({ id: 'CreatedOperator' });

export const operatorObject = z.strictObject({
  id: z.string().meta({ example: 'usr_3c5e7g9j1l3n5q7s9u1w3y5a' }),
  object: z.literal('operator'),
  email: z.email(),
  role: operatorRole,
  status: z.enum(['active', 'disabled']),
  totp: z.boolean().meta({ description: 'Whether an authenticator is enrolled' }),
  totp_required: z.boolean().meta({ description: 'admin and finance must enrol one before anything else' }),
  setup_pending: z.boolean().meta({ description: 'No password yet: the set-up link was not used' }),
  created_at: z.string().meta({ format: 'date-time' }),
  setup_url: z.url().nullable().meta({ description: 'With reset: the new one-time set-up link (72 hours), in this answer only; otherwise null' }),
}).meta({ id: 'Operator' });

export const operatorList = z.strictObject({ data: z.array(operatorObject) }).meta({ id: 'OperatorList' });
