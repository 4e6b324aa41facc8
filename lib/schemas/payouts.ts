import { z } from 'zod';
import { NO_CONTROL, cursorParam, dateOrDateTime, limitParam, purseParam } from './common.js';
import { BALANCE_TRANSACTION_TYPES } from '../domain/balance.js';
import type { MerchantId, PayoutId } from '../domain/ids.js';
import { unlessMissing } from './plain-errors.js';

export const payoutIdParam = z.string().regex(/^po_[0-9a-z]{24}$/, 'a payout id looks like po_ and 24 letters or digits').transform((v) => v as PayoutId);
const payoutStatus = z.enum(['pending', 'paid', 'failed'], { error: unlessMissing('status is "pending", "paid" or "failed"') });
const limit = limitParam();
const cursor = cursorParam;

export const createPayoutBody = z.strictObject({ purse: purseParam });

export const listBalanceTransactionsQuery = z.strictObject({
  purse: purseParam.optional().meta({ description: 'Only this purse' }),
  type: z.enum(BALANCE_TRANSACTION_TYPES, { error: unlessMissing(`type is one of ${BALANCE_TRANSACTION_TYPES.join(', ')}`) }).optional(),
  payout: payoutIdParam.optional().meta({ description: 'What this payout settled' }),
  created_from: dateOrDateTime.optional(),
  created_to: dateOrDateTime.optional(),
  limit,
  cursor,
});

export const listPayoutsQuery = z.strictObject({ purse: purseParam.optional(), status: payoutStatus.optional(), limit, cursor });

export const adminListPayoutsQuery = z.strictObject({
  status: payoutStatus.optional(),
  merchant_id: z.string().regex(/^mch_[0-9a-z]{24,}$/, 'a merchant id looks like mch_ and letters or digits').transform((v) => v as MerchantId).optional(),
  limit,
  cursor,
});

export const payoutCsvQuery = z.strictObject({ status: payoutStatus.default('pending') });

const oneLine = (field: string) => z.string({ error: unlessMissing(`${field} is text`) }).trim().min(1, `${field} is not empty`).max(200, `${field} is at most 200 characters`)
  .regex(NO_CONTROL, `${field} has no control characters`);

export const payoutPaidBody = z.strictObject({ reference: oneLine('reference') });
export const payoutFailedBody = z.strictObject({ reason: oneLine('reason') });

export type AdminListPayoutsQuery = z.output<typeof adminListPayoutsQuery>;
