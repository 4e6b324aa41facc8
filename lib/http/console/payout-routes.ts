import type Router from '@koa/router';
import type { AppContext, AppState } from '../shared/context.js';
import type { PayDeps } from '../../use-cases/shared/deps.js';
import { listPayouts, listPayoutsForBank } from '../../use-cases/payouts/list-payouts.js';
import { consoleSettlePayout } from '../../use-cases/console/settle-payout.js';
import { parseInput } from '../../schemas/parse.js';
import { payoutCsvQuery } from '../../schemas/payouts.js';
import { failedForm, paidForm, payoutsPageQuery } from '../../schemas/console-money.js';
import { BANK_COLUMNS, bankRow } from '../../presenters/payout.js';
import { sendCsv } from '../shared/csv.js';
import { payoutIdOf } from '../shared/path-ids.js';
import { formOf } from '../shared/form.js';
import { confirmThenAct } from '../shared/confirm-then-act.js';
import { actorOnce, allow, shownBesideForm } from './guard.js';
import type { ConsoleView } from './view.js';

function payoutsPage(deps: PayDeps, view: ConsoleView) {
  return async (ctx: AppContext, extra: { problem?: string; flash?: string } = {}, status = 200) => {
    allow(ctx, 'read');
    const q = parseInput(payoutsPageQuery, ctx.query, 'query');
    const page = await listPayouts(deps, { status: q.status, limit: 50, cursor: q.cursor });
    view(ctx, './console-payouts', { page, status: q.status, ...extra }, status);
  };
}

/** docs/operator-guide.md#operator-console: the payouts by status, the bank file, and the bank's answer: paid with its reference, or failed with a reason. */
export function payoutRoutes(router: Router<AppState>, deps: PayDeps, view: ConsoleView) {
  const page = payoutsPage(deps, view);
  router.get('/payouts', (ctx) => {
    const done = ctx.query.done === 'paid' || ctx.query.done === 'failed' ? ctx.state.console?.t(`console.payouts.done.${ctx.query.done}`) : undefined;
    return page(ctx, { flash: done });
  });
  // the bank file of docs/merchant-guide.md#balance-payouts-and-statements, as the admin API gives it
  router.get('/payouts.csv', async (ctx) => {
    allow(ctx, 'read');
    const { status } = parseInput(payoutCsvQuery, { status: ctx.query.status || undefined }, 'query');
    sendCsv(ctx, `payouts-${status}.csv`, BANK_COLUMNS, (await listPayoutsForBank(deps, status)).map(bankRow));
  });
  for (const name of ['paid', 'failed'] as const) {
    router.post(`/payouts/:id/${name}`, async (ctx) => {
      const state = allow(ctx, 'payout');
      const id = payoutIdOf(ctx);
      const form = formOf(ctx);
      const field = name === 'paid' ? 'reference' : 'reason';
      const value = form.get(field) ?? '';
      await confirmThenAct(ctx, view, {
        question: state.t(`console.payouts.confirm_${name}`, { id, [field]: value }), fields: [[field, value]], back: '/console/payouts', done: `/console/payouts?status=${name}&done=${name}`,
        act: (done) => {
          const end = name === 'paid' ? { status: name, ...parseInput(paidForm, { reference: value }, 'form') } : { status: name, ...parseInput(failedForm, { reason: value }, 'form') };
          return consoleSettlePayout(deps, actorOnce(ctx, done), id, end);
        },
        t: state.t, shownBesideForm, formPage: page,
      });
    });
  }
}
