import type Router from '@koa/router';
import type { AppContext, AppState } from '../shared/context.js';
import type { Deps } from '../../use-cases/shared/deps.js';
import { parseInput } from '../../schemas/parse.js';
import { createVouchersBody, listVouchersQuery, voucherIdParam } from '../../schemas/vouchers.js';
import { adminCreateVouchers, adminListVouchers, adminVoidVoucher, batchJson } from '../../admin/vouchers.js';
import { answerNote } from '../shared/idempotency.js';
import { AppError } from '../../domain/errors.js';
import type { IssuedBatch } from '../../use-cases/vouchers/issue-vouchers.js';
import type { Outcome } from '../../admin/operations.js';

function answer(ctx: AppContext, outcome: Outcome) {
  ctx.status = outcome.created ? 201 : 200;
  ctx.body = outcome.body;
}

/** Vouchers of docs/operator-guide.md#vouchers-and-cash-in under /admin/v1 (the admin router's auth and idempotency apply). */
export function voucherRoutes(router: Router<AppState>, deps: Deps) {
  router.post('/vouchers', async (ctx) => {
    const body = parseInput(createVouchersBody, ctx.request.body);
    // kept with the batch, in its transaction, without the codes: a replay answers the batch, never its codes
    answer(ctx, await adminCreateVouchers(deps, body, answerNote(ctx, 201, (batch: IssuedBatch) => batchJson(batch, false))));
  });
  router.get('/vouchers', async (ctx) => answer(ctx, await adminListVouchers(deps, parseInput(listVouchersQuery, ctx.query, 'query'))));
  router.post('/vouchers/:id/void', async (ctx) => {
    const id = voucherIdParam.safeParse(ctx.params.id);
    if (!id.success) throw new AppError('voucher_not_found', `No voucher ${String(ctx.params.id).slice(0, 40)}`);
    answer(ctx, await adminVoidVoucher(deps, id.data));
  });
}
