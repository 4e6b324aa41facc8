import Router from '@koa/router';
import type { AppContext, AppState } from '../shared/context.js';
import type { Deps } from '../../use-cases/deps.js';
import { requireAdmin } from './auth.js';
import * as ops from '../../admin/operations.js';
import { parseInput } from '../../schemas/parse.js';
import { createMerchantBody, createWalletBody, listMessagesQuery, topUpBody } from '../../schemas/admin.js';
import { purseParam } from '../../schemas/common.js';

function answer(ctx: AppContext, outcome: ops.Outcome) {
  ctx.status = outcome.created ? 201 : 200;
  ctx.body = outcome.body;
}

/** The operator API of spec §7, under /admin/v1. */
export function adminRoutes(deps: Deps) {
  const router = new Router<AppState>({ prefix: '/admin/v1' });
  router.use(requireAdmin(deps.config.adminToken));
  router.post('/merchants', async (ctx) => answer(ctx, await ops.adminCreateMerchant(deps, parseInput(createMerchantBody, ctx.request.body))));
  router.post('/wallets', async (ctx) => answer(ctx, await ops.adminCreateWallet(deps, parseInput(createWalletBody, ctx.request.body))));
  router.post('/wallets/:purse/topups', async (ctx) =>
    answer(ctx, await ops.adminTopUp(deps, parseInput(purseParam, ctx.params.purse, 'purse'), parseInput(topUpBody, ctx.request.body), ctx.get('Idempotency-Key') || undefined)),
  );
  router.get('/wallets/:purse', async (ctx) => answer(ctx, await ops.adminShowWallet(deps, parseInput(purseParam, ctx.params.purse, 'purse'))));
  router.get('/messages', async (ctx) => answer(ctx, await ops.adminListMessages(deps, parseInput(listMessagesQuery, ctx.query, 'query'))));
  router.get('/ledger/check', async (ctx) => answer(ctx, await ops.adminCheckLedger(deps)));
  return router;
}
