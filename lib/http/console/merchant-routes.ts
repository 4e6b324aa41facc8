import type Router from '@koa/router';
import type { AppContext, AppState } from '../shared/context.js';
import type { PayDeps } from '../../use-cases/shared/deps.js';
import { consoleInviteUser, consoleSetFee, consoleSetMerchantStatus, consoleSetPayoutSettings, listConsoleMerchants, readConsoleMerchant } from '../../use-cases/console/merchants.js';
import { parseInput } from '../../schemas/parse.js';
import { feeInput, merchantIdParam, shopIdParam, updateMerchantBody } from '../../schemas/admin.js';
import { PAYOUT_SCHEDULES } from '../../domain/balance.js';
import { userForm } from '../../schemas/office.js';
import { AppError, isAppError } from '../../domain/errors.js';
import { feeRuleOf, formatPercent, FEE_REFUNDS } from '../../domain/fee.js';
import { ROLES } from '../../domain/office.js';
import { merchantIdOf } from '../shared/path-ids.js';
import { field, formOf } from '../shared/form.js';
import { confirmThenAct } from '../shared/confirm-then-act.js';
import { actorOnce, allow, shownBesideForm } from './guard.js';
import type { ConsoleView } from './view.js';

const MODES = ['live', 'test'] as const;

type Page = (ctx: AppContext, extra?: Record<string, unknown>, status?: number) => Promise<void>;

function merchantPage(deps: PayDeps, view: ConsoleView): Page {
  return async (ctx, extra = {}, status = 200) => {
    allow(ctx, 'read');
    const m = await readConsoleMerchant(deps, merchantIdOf(ctx));
    const shops = m.shops.map((s) => {
      const rule = feeRuleOf(s.shop, deps.config.defaultFee);
      return { ...s, fee: { percent: formatPercent(rule.percentBp), fixed: rule.fixed, refund: rule.refund, own: s.shop.feePercentBp !== null } };
    });
    // live and test purses apart, each group labelled (docs/operator-guide.md#operator-console)
    const purses = MODES.map((mode) => ({ mode, balances: m.balances.filter((b) => b.mode === mode) }));
    view(ctx, './console-merchant', { ...m, purses, shops, roles: ROLES, feeRefunds: FEE_REFUNDS, schedules: PAYOUT_SCHEDULES, ...extra }, status);
  };
}

/** docs/operator-guide.md#operator-console: merchants, suspend and activate, each shop's fee, payout settings, users and invitations. */
export function merchantRoutes(router: Router<AppState>, deps: PayDeps, view: ConsoleView) {
  router.get('/merchants', async (ctx) => {
    allow(ctx, 'read');
    const after = typeof ctx.query.after === 'string' ? merchantIdParam.safeParse(ctx.query.after).data : undefined;
    view(ctx, './console-merchants', { page: await listConsoleMerchants(deps, { limit: 50, after }) });
  });
  const page = merchantPage(deps, view);
  router.get('/merchants/:id', (ctx) => page(ctx, { flash: typeof ctx.query.done === 'string' && /^(suspend|activate|fee|payouts)$/.test(ctx.query.done) ? ctx.state.console?.t(`console.done.${ctx.query.done}` as 'console.done.fee') : undefined }));

  for (const status of ['suspended', 'active'] as const) {
    const name = status === 'active' ? 'activate' : 'suspend';
    router.post(`/merchants/:id/${name}`, async (ctx) => {
      const state = allow(ctx, 'suspend');
      const id = merchantIdOf(ctx);
      // a refusal gets a page of its own: no form page given
      await confirmThenAct(ctx, view, {
        question: state.t(`console.confirm.${name}`, { id }), back: `/console/merchants/${id}`, done: `/console/merchants/${id}?done=${name}`,
        act: (done) => consoleSetMerchantStatus(deps, actorOnce(ctx, done), id, status),
      });
    });
  }

  feeRoute(router, deps, page);
  payoutSettingsRoute(router, deps, page);

  router.post('/merchants/:id/users', async (ctx) => {
    const state = allow(ctx, 'manage_users');
    const id = merchantIdOf(ctx);
    const form = formOf(ctx);
    try {
      const input = parseInput(userForm, { email: field(form, 'email', 254).trim(), role: field(form, 'role', 10) }, 'form');
      const created = await consoleInviteUser(deps, actorOnce(ctx, `/console/merchants/${id}`), id, input);
      await page(ctx, { created }, 201);
    } catch (err) {
      if (isAppError(err) && err.code === 'user_exists') return page(ctx, { problem: state.t('office.users.exists') }, 409);
      if (!shownBesideForm(err)) throw err;
      await page(ctx, { problem: state.t('office.error.invalid', { detail: err.message }) }, err.status);
    }
  });
}

/** The merchant's payout schedule, minimum, delay and account, with the admin API's rules (admin and finance). */
function payoutSettingsRoute(router: Router<AppState>, deps: PayDeps, page: Page) {
  router.post('/merchants/:id/payouts', async (ctx) => {
    const state = allow(ctx, 'payout');
    const id = merchantIdOf(ctx);
    const form = formOf(ctx);
    const done = `/console/merchants/${id}?done=payouts`;
    try {
      const delay = field(form, 'payout_delay_days', 3).trim();
      const body = parseInput(updateMerchantBody, {
        payout_schedule: field(form, 'payout_schedule', 10), payout_minimum: field(form, 'payout_minimum', 20).trim(),
        payout_delay_days: /^\d+$/.test(delay) ? Number(delay) : delay, payout_account: field(form, 'payout_account', 200).trim() || null,
      }, 'form');
      await consoleSetPayoutSettings(deps, actorOnce(ctx, done), id, body);
    } catch (err) {
      if (!shownBesideForm(err)) throw err;
      return page(ctx, { problem: state.t('office.error.invalid', { detail: err.message }) }, err.status);
    }
    ctx.status = 303;
    ctx.redirect(done);
  });
}

/** A shop's fee (admin and finance), with the admin API's rules. */
function feeRoute(router: Router<AppState>, deps: PayDeps, page: Page) {
  router.post('/merchants/:id/shops/:shopId/fee', async (ctx) => {
    const state = allow(ctx, 'fee');
    const id = merchantIdOf(ctx);
    const form = formOf(ctx);
    const shopId = shopIdParam.safeParse(ctx.params.shopId);
    if (!shopId.success) throw new AppError('shop_not_found', 'No such shop');
    const done = `/console/merchants/${id}?done=fee`;
    try {
      const fixed = field(form, 'fixed', 20);
      const refund = field(form, 'refund', 10);
      const fee = parseInput(feeInput, { percent: field(form, 'percent', 10), ...(fixed && { fixed }), ...(refund && { refund }) }, 'form');
      await consoleSetFee(deps, actorOnce(ctx, done), id, shopId.data, fee);
    } catch (err) {
      if (!shownBesideForm(err)) throw err;
      return page(ctx, { problem: state.t('office.error.invalid', { detail: err.message }) }, err.status);
    }
    ctx.status = 303;
    ctx.redirect(done);
  });
}
