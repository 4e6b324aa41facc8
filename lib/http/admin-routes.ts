import Router from '@koa/router';
import type { AppState } from './context.js';
import type { Deps } from '../use-cases/deps.js';
import { requireAdmin } from './admin-auth.js';
import { parseInput } from './validate.js';
import { createMerchantBody, createWalletBody, topUpBody } from './schemas/admin.js';
import { purseParam } from './schemas/common.js';
import { createMerchant } from '../use-cases/create-merchant.js';
import { createWallet } from '../use-cases/create-wallet.js';
import { topUpWallet } from '../use-cases/top-up-wallet.js';
import { checkLedger } from '../use-cases/check-ledger.js';
import { findWallet } from '../store/wallets.js';
import { AppError } from '../domain/errors.js';
import { walletJson } from './presenters/wallet.js';
import { merchantJson } from './presenters/merchant.js';
import { formatAmount } from '../domain/money.js';

/** The operator API of spec §7, under /admin/v1. */
export function adminRoutes(deps: Deps) {
  const router = new Router<AppState>({ prefix: '/admin/v1' });
  router.use(requireAdmin(deps.config.adminToken));

  router.post('/merchants', async (ctx) => {
    const body = parseInput(createMerchantBody, ctx.request.body);
    const { merchant, purse, apiKey } = await createMerchant(deps, {
      name: body.name,
      currency: body.currency,
      mode: body.mode,
      resultUrl: body.result_url,
      successUrl: body.success_url,
      failUrl: body.fail_url,
      webhookUrl: body.webhook_url,
      allowedHosts: body.allowed_hosts,
      hashMethod: body.hash_method,
      prerequest: body.prerequest,
      requireSignedForms: body.require_signed_forms,
      successMethod: body.success_method,
      failMethod: body.fail_method,
      captureMode: body.capture,
    });
    ctx.status = 201;
    ctx.body = { ...merchantJson(merchant, [purse]), currency: body.currency, api_key: apiKey, secret_key: merchant.secretKey, webhook_secret: merchant.webhookSecret };
  });

  router.post('/wallets', async (ctx) => {
    const body = parseInput(createWalletBody, ctx.request.body);
    const wallet = await createWallet(deps, body);
    ctx.status = 201;
    ctx.body = walletJson(wallet);
  });

  router.post('/wallets/:purse/topups', async (ctx) => {
    const purse = parseInput(purseParam, ctx.params.purse, 'purse');
    const { amount } = parseInput(topUpBody, ctx.request.body);
    const key = ctx.get('Idempotency-Key') || undefined;
    const result = await topUpWallet(deps, { purse, amount, idempotencyKey: key });
    ctx.status = result.replayed ? 200 : 201;
    ctx.body = { transfer_id: String(result.transferId), amount: formatAmount(amount), ...walletJson(result.wallet) };
  });

  router.get('/wallets/:purse', async (ctx) => {
    const purse = parseInput(purseParam, ctx.params.purse, 'purse');
    const wallet = await findWallet(deps.db, purse);
    if (!wallet) throw new AppError('wallet_not_found', `Wallet ${purse} does not exist`);
    ctx.body = walletJson(wallet);
  });

  router.get('/ledger/check', async (ctx) => {
    const report = await checkLedger(deps);
    ctx.body = { ok: report.ok, checked_at: report.checkedAt, counts: report.counts, problems: report.problems };
  });

  return router;
}
