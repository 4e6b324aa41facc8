import { z } from 'zod';
import { amountInput, currencyInput, modeInput, phoneInput } from './common.js';
import { payoutFailedBody, payoutPaidBody } from './payouts.js';
import { voucherBatchParam } from './vouchers.js';
import { addressParam, rangeParam } from './admin.js';
import { MAX_VOUCHERS_PER_BATCH, VOUCHER_STATUSES } from '../domain/voucher.js';
import { unlessMissing } from './plain-errors.js';

// the console's money pages (docs/operator-guide.md#operator-console); an empty field of a GET form is "no filter"
const blank = (v: unknown) => (v === '' ? undefined : v);

export const topUpForm = z.object({ amount: amountInput });
export const paidForm = payoutPaidBody.strip();
export const failedForm = payoutFailedBody.strip();

export const vouchersForm = z.object({
  currency: currencyInput,
  amount: amountInput,
  count: z.coerce.number({ error: unlessMissing(`count is a whole number, 1 to ${MAX_VOUCHERS_PER_BATCH}`) })
    .int(`count is a whole number, 1 to ${MAX_VOUCHERS_PER_BATCH}`).min(1, `count is 1 to ${MAX_VOUCHERS_PER_BATCH}`).max(MAX_VOUCHERS_PER_BATCH, `count is 1 to ${MAX_VOUCHERS_PER_BATCH}`),
  mode: z.preprocess(blank, modeInput.default('live')),
});

export const payoutsPageQuery = z.object({ status: z.preprocess(blank, z.enum(['pending', 'paid', 'failed']).default('pending')), cursor: z.string().max(200).optional() });
export const notificationsPageQuery = z.object({ status: z.preprocess(blank, z.enum(['dead', 'pending']).default('dead')), cursor: z.string().max(200).optional() });
export const vouchersPageQuery = z.object({
  batch_id: z.preprocess(blank, voucherBatchParam.optional()),
  status: z.preprocess(blank, z.enum(VOUCHER_STATUSES).optional()),
  cursor: z.string().max(60).optional(),
});

/** One lookup at a time: a phone (with its mode), a number range, or a client address. */
export const limitsQuery = z.object({
  phone: z.preprocess(blank, phoneInput.optional()),
  mode: z.preprocess(blank, modeInput.default('live')),
  range: z.preprocess(blank, rangeParam.optional()),
  address: z.preprocess(blank, addressParam.optional()),
});
export const liftForm = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('phone'), phone: phoneInput, mode: modeInput.default('live') }),
  z.object({ kind: z.literal('range'), range: rangeParam }),
  z.object({ kind: z.literal('address'), address: addressParam }),
]);
