import Router from '@koa/router';
import { createdLocation } from '../shared/created-location.js';
import type { AppContext, AppState } from '../shared/context.js';
import type { PayDeps } from '../../use-cases/shared/deps.js';
import { requireAdmin } from './auth.js';
import * as ops from '../../admin/operations.js';
import { parseInput } from '../../schemas/parse.js';
import { createMerchantBody, createShopBody, createWalletBody, listMerchantsQuery, listMessagesQuery, topUpBody, updateMerchantBody, adminUpdateShopBody, listFeesQuery, createUserBody } from '../../schemas/admin.js';
import { merchantIdOf, payoutIdOf, shopIdOf } from '../shared/path-ids.js';
import { sendCsv } from '../shared/csv.js';
import { adminListPayoutsQuery, payoutCsvQuery, payoutFailedBody, payoutPaidBody } from '../../schemas/payouts.js';
import { listPayoutsForBank } from '../../use-cases/payouts/list-payouts.js';
import { BANK_COLUMNS, bankRow } from '../../presenters/payout.js';
import { apiKeyIdParam, idParam, refundBody } from '../../schemas/payments.js';
import { phoneInput, purseParam } from '../../schemas/common.js';
import { addressParam, emailParam, liftQuery, rangeParam, updateUserBody, userIdParam } from '../../schemas/admin.js';
import { AppError } from '../../domain/errors.js';
import { idempotencyKeyOf } from '../shared/idempotency-key.js';
import { idempotency } from '../shared/idempotency.js';
import { OPERATOR } from '../../use-cases/shared/idempotency-keys.js';
import { voucherRoutes } from './voucher-routes.js';
import { phoneRoutes } from './phone-routes.js';
import { consoleAdminRoutes } from './console-routes.js';
import { walletRoutes } from './wallet-routes.js';

/** The bank step of docs/merchant-guide.md#balance-payouts-and-statements: pending payouts, their CSV for the bank, then paid or failed. */
function payoutRoutes(router: Router<AppState>, deps: PayDeps) {
  router.get('/payouts', async (ctx) => answer(ctx, await ops.adminListPayouts(deps, parseInput(adminListPayoutsQuery, ctx.query, 'query'))));
  router.get('/payouts.csv', async (ctx) => {
    const { status } = parseInput(payoutCsvQuery, ctx.query, 'query');
    const rows = await listPayoutsForBank(deps, status);
    sendCsv(ctx, `payouts-${status}.csv`, BANK_COLUMNS, rows.map(bankRow));
  });
  router.post('/payouts/run', async (ctx) => answer(ctx, await ops.adminRunPayouts(deps)));
  router.post('/payouts/:id/paid', async (ctx) =>
    answer(ctx, await ops.adminSettlePayout(deps, payoutIdOf(ctx), { status: 'paid', ...parseInput(payoutPaidBody, ctx.request.body) })));
  router.post('/payouts/:id/failed', async (ctx) =>
    answer(ctx, await ops.adminSettlePayout(deps, payoutIdOf(ctx), { status: 'failed', ...parseInput(payoutFailedBody, ctx.request.body) })));
}

function answer(ctx: AppContext, outcome: ops.Outcome) {
  ctx.status = outcome.created ? 201 : 200;
  ctx.body = outcome.body;
}

/** The operator API of docs/operator-guide.md#operator-api-and-cli, under /admin/v1. */
export function adminRoutes(deps: PayDeps) {
  const router = new Router<AppState>({ prefix: '/admin/v1' });
  router.use(requireAdmin(deps.config.adminToken));
  router.use(createdLocation('/admin/v1'));
  // the operator's POSTs take Idempotency-Key as the merchant API's do (the operator's keys are its own)
  router.use(idempotency(deps, () => OPERATOR));
  router.post('/merchants', async (ctx) => answer(ctx, await ops.adminCreateMerchant(deps, parseInput(createMerchantBody, ctx.request.body))));
  router.post('/wallets', async (ctx) => answer(ctx, await ops.adminCreateWallet(deps, parseInput(createWalletBody, ctx.request.body))));
  router.post('/wallets/:purse/topups', async (ctx) =>
    answer(ctx, await ops.adminTopUp(deps, parseInput(purseParam, ctx.params.purse, 'purse'), parseInput(topUpBody, ctx.request.body), idempotencyKeyOf(ctx))),
  );
  router.get('/wallets/:purse', async (ctx) => answer(ctx, await ops.adminShowWallet(deps, parseInput(purseParam, ctx.params.purse, 'purse'))));
  router.get('/messages', async (ctx) => answer(ctx, await ops.adminListMessages(deps, parseInput(listMessagesQuery, ctx.query, 'query'))));
  router.get('/merchants', async (ctx) => answer(ctx, await ops.adminListMerchants(deps, parseInput(listMerchantsQuery, ctx.query, 'query'))));
  router.get('/merchants/:id', async (ctx) => answer(ctx, await ops.adminShowMerchant(deps, merchantIdOf(ctx))));
  router.patch('/merchants/:id', async (ctx) => answer(ctx, await ops.adminUpdateMerchant(deps, merchantIdOf(ctx), parseInput(updateMerchantBody, ctx.request.body))));
  // refunds of any merchant's payments, a suspended one's included (docs/merchant-guide.md#shops-methods-and-keys); with Idempotency-Key a
  // retried refund (a timeout, a crash) finds the refund it made instead of paying out again
  router.post('/payments/:id/refunds', async (ctx) =>
    answer(ctx, await ops.adminRefund(deps, parseInput(idParam, ctx.params.id, 'payment id'), parseInput(refundBody, ctx.request.body), ctx.state.idempotencyKey)));
  router.post('/merchants/:id/users', async (ctx) => answer(ctx, await ops.adminCreateUser(deps, merchantIdOf(ctx), parseInput(createUserBody, ctx.request.body))));
  router.patch('/users/:id', async (ctx) => {
    const id = userIdParam.safeParse(ctx.params.id);
    if (!id.success) throw new AppError('user_not_found', `No user ${String(ctx.params.id).slice(0, 40)}`);
    answer(ctx, await ops.adminUpdateUser(deps, id.data, parseInput(updateUserBody, ctx.request.body)));
  });
  router.post('/merchants/:id/shops', async (ctx) => answer(ctx, await ops.adminCreateShop(deps, merchantIdOf(ctx), parseInput(createShopBody, ctx.request.body))));
  router.get('/shops/:id', async (ctx) => answer(ctx, await ops.adminShowShop(deps, shopIdOf(ctx))));
  router.patch('/shops/:id', async (ctx) => answer(ctx, await ops.adminUpdateShop(deps, shopIdOf(ctx), parseInput(adminUpdateShopBody, ctx.request.body))));
  router.get('/fees', async (ctx) => answer(ctx, await ops.adminListFees(deps, parseInput(listFeesQuery, ctx.query, 'query'))));
  payoutRoutes(router, deps);
  voucherRoutes(router, deps);
  phoneRoutes(router, deps);
  consoleAdminRoutes(router, deps);
  walletRoutes(router, deps);
  router.get('/limits', async (ctx) => answer(ctx, await ops.adminListLimits(deps)));
  router.post('/limits/phones/:phone/lift', async (ctx) => {
    const { mode } = parseInput(liftQuery, ctx.query, 'query');
    answer(ctx, await ops.adminLiftPhone(deps, parseInput(phoneInput, ctx.params.phone, 'phone'), mode));
  });
  router.post('/limits/addresses/:address/lift', async (ctx) => answer(ctx, await ops.adminLiftAddress(deps, parseInput(addressParam, ctx.params.address, 'address'))));
  router.post('/limits/emails/:email/lift', async (ctx) => answer(ctx, await ops.adminLiftEmail(deps, parseInput(emailParam, ctx.params.email, 'e-mail'))));
  router.post('/limits/ranges/:range/lift', async (ctx) => answer(ctx, await ops.adminLiftRange(deps, parseInput(rangeParam, ctx.params.range, 'range'))));
  router.post('/limits/api-keys/:id/lift', async (ctx) => answer(ctx, await ops.adminLiftApiKey(deps, parseInput(apiKeyIdParam, ctx.params.id, 'API key id'))));
  router.get('/ledger/check', async (ctx) => answer(ctx, await ops.adminCheckLedger(deps)));
  return router;
}
