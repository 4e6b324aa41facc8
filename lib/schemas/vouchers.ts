import { z } from 'zod';
import { amountInput, currencyInput, limitParam, modeInput } from './common.js';
import { unlessMissing } from './plain-errors.js';
import { MAX_VOUCHERS_PER_BATCH, VOUCHER_BATCH_PATTERN, VOUCHER_ID_PATTERN, VOUCHER_STATUSES, type VoucherBatchId, type VoucherId } from '../domain/voucher.js';

export const voucherIdParam = z.string().regex(VOUCHER_ID_PATTERN, 'a voucher id looks like vch_ and 24 letters or digits').transform((v) => v as VoucherId);
export const voucherBatchParam = z.string().regex(VOUCHER_BATCH_PATTERN, 'a batch id looks like vbt_ and 24 letters or digits').transform((v) => v as VoucherBatchId);

/** POST /admin/v1/vouchers (docs/operator-guide.md#vouchers-and-cash-in). */
export const createVouchersBody = z.strictObject({
  currency: currencyInput,
  amount: amountInput.meta({ description: 'The value of each voucher' }),
  count: z.number({ error: unlessMissing(`count is a whole number, 1 to ${MAX_VOUCHERS_PER_BATCH}`) })
    .int(`count is a whole number, 1 to ${MAX_VOUCHERS_PER_BATCH}`).min(1, `count is 1 to ${MAX_VOUCHERS_PER_BATCH}`).max(MAX_VOUCHERS_PER_BATCH, `count is 1 to ${MAX_VOUCHERS_PER_BATCH}`),
  expires_at: z.iso.datetime({ offset: true, error: unlessMissing('expires_at is a date-time with an offset, such as 2027-01-01T00:00:00Z') })
    .transform((v) => new Date(v)).optional().meta({ description: 'When the unredeemed vouchers expire (their money returns to issuance); none: never' }),
  mode: modeInput.default('live'),
});

export const listVouchersQuery = z.strictObject({
  batch_id: voucherBatchParam.optional(),
  status: z.enum(VOUCHER_STATUSES, { error: unlessMissing('status is "active", "redeemed", "expired" or "void"') }).optional(),
  limit: limitParam(),
  cursor: voucherIdParam.optional().meta({ description: 'next_cursor of the previous page' }),
});

export type CreateVouchersBody = z.output<typeof createVouchersBody>;
export type ListVouchersQuery = z.output<typeof listVouchersQuery>;

const amountOut = z.string().meta({ example: '10.00', description: 'Decimal string with two decimals' });
const when = z.string().meta({ description: 'ISO 8601 date-time, UTC' });

/** A voucher as listed: never its code. */
export const voucherObject = z.strictObject({
  id: z.string(), object: z.literal('voucher'), batch_id: z.string(),
  status: z.enum(VOUCHER_STATUSES), amount: amountOut, currency: currencyInput, mode: modeInput,
  expires_at: when.nullable(), created_at: when, ended_at: when.nullable().meta({ description: 'When it was redeemed, voided or expired' }),
  redeemed_purse: z.string().nullable().meta({ description: 'The wallet it was redeemed into' }),
}).meta({ id: 'Voucher' });

export const voucherList = z.strictObject({ data: z.array(voucherObject), has_more: z.boolean(), next_cursor: z.string().nullable() }).meta({ id: 'VoucherList' });

/** The answer of a new batch: the only one with the codes (null when an Idempotency-Key replays it). */
export const voucherBatchObject = z.strictObject({
  batch_id: z.string(),
  vouchers: z.array(z.strictObject({
    id: z.string(),
    code: z.string().nullable().meta({ description: 'XXXX-XXXX-XXXX-XXXX (Crockford base32); shown only in this answer, null in a replay', example: '7K3M-Q9XW-2C4T-HN8R' }),
    amount: amountOut, currency: currencyInput, expires_at: when.nullable(),
  })),
}).meta({ id: 'VoucherBatch' });
