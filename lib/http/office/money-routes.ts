import type Router from '@koa/router';
import type { AppContext, AppState } from '../shared/context.js';
import type { PayDeps } from '../../use-cases/shared/deps.js';
import { readOfficeBalance } from '../../use-cases/payouts/read-balance.js';
import { listPayouts, readStatement } from '../../use-cases/payouts/list-payouts.js';
import { officePayout } from '../../use-cases/office/pay-out.js';
import { STATEMENT_COLUMNS, statementRow } from '../../presenters/balance.js';
import { formatPercent } from '../../domain/fee.js';
import { payoutIdOf } from '../shared/path-ids.js';
import { sendCsv } from '../shared/csv.js';
import { AppError } from '../../domain/errors.js';
import { actorOnce, allow, shownBesideForm } from './guard.js';
import { formOf } from './form.js';
import type { OfficeView } from './view.js';
import type { Payout } from '../../domain/payout.js';
import { keepMode } from './test-mode.js';

const PURSE = /^[A-Z]\d{12}$/;

/** Balance, "pay out now", payouts and their statements (docs/merchant-guide.md#back-office "Running the shop alone"). */
export function moneyRoutes(router: Router<AppState>, deps: PayDeps, view: OfficeView) {
  const balancePage = async (ctx: AppContext, extra: Record<string, unknown> = {}, status = 200) => {
    const office = allow(ctx, 'read');
    const [balance, payouts] = await Promise.all([readOfficeBalance(deps, office.actor.merchantId, office.mode), listPayouts(deps, { merchantId: office.actor.merchantId, mode: office.mode, limit: 50 })]);
    view(ctx, './office-balance', { ...balance, payouts: payouts.data, formatPercent, ...extra }, status);
  };
  router.get('/balance', (ctx) => balancePage(ctx));
  router.post('/balance/:purse/payout', async (ctx) => {
    const office = allow(ctx, 'payout');
    const purse = String(ctx.params.purse);
    if (!PURSE.test(purse)) throw new AppError('wallet_not_found', 'No such purse');
    if (formOf(ctx).get('confirmed') !== '1') {
      return view(ctx, './office-confirm', { question: office.t('office.confirm.payout', { purse }), action: keepMode(ctx, ctx.path), fields: [], back: keepMode(ctx, '/office/balance') });
    }
    try {
      const payout = await officePayout(deps, actorOnce(ctx, (p: Payout) => keepMode(ctx, `/office/payouts/${p.id}`)), purse);
      ctx.status = 303;
      ctx.redirect(keepMode(ctx, `/office/payouts/${payout.id}`));
    } catch (err) {
      if (!shownBesideForm(err)) throw err;
      await balancePage(ctx, { problem: office.t('office.error.invalid', { detail: err.message }) }, err.status);
    }
  });
  router.get('/payouts/:id', async (ctx) => {
    const office = allow(ctx, 'read');
    const statement = await readStatement(deps, payoutIdOf(ctx), office.actor.merchantId);
    // a test payout's page carries the test banner (docs/merchant-guide.md#test-mode)
    if (statement.payout.mode === 'test') office.mode = 'test';
    view(ctx, './office-payout', statement);
  });
  router.get('/payouts/:id/transactions.csv', async (ctx) => {
    const office = allow(ctx, 'read');
    const { payout, transactions } = await readStatement(deps, payoutIdOf(ctx), office.actor.merchantId);
    sendCsv(ctx, `${payout.id}.csv`, STATEMENT_COLUMNS, transactions.map(statementRow));
  });
}
