import type Router from '@koa/router';
import type { AppState } from '../shared/context.js';
import type { PayDeps } from '../../use-cases/shared/deps.js';
import { merchantOf } from './auth.js';
import { parseInput } from '../../schemas/parse.js';
import { createPayoutBody, listBalanceTransactionsQuery, listPayoutsQuery } from '../../schemas/payouts.js';
import { payoutIdOf } from '../shared/path-ids.js';
import { sendCsv } from '../shared/csv.js';
import { readBalance } from '../../use-cases/payouts/read-balance.js';
import { createPayout, isSkipped } from '../../use-cases/payouts/create-payout.js';
import { listBalanceTransactions, listPayouts, readPayout, readStatement } from '../../use-cases/payouts/list-payouts.js';
import { balanceJson, balanceTransactionJson, STATEMENT_COLUMNS, statementRow } from '../../presenters/balance.js';
import { payoutJson } from '../../presenters/payout.js';

/** The merchant's money (docs/merchant-guide.md#balance-payouts-and-statements): balance, balance transactions, payouts and their statements. */
export function payoutRoutes(router: Router<AppState>, deps: PayDeps) {
  router.get('/balance', async (ctx) => {
    ctx.body = { data: (await readBalance(deps, merchantOf(ctx).id, merchantOf(ctx).mode)).map(balanceJson) };
  });

  router.get('/balance_transactions', async (ctx) => {
    const q = parseInput(listBalanceTransactionsQuery, ctx.query, 'query');
    const page = await listBalanceTransactions(deps, {
      merchantId: merchantOf(ctx).id, mode: merchantOf(ctx).mode, purse: q.purse, type: q.type, payoutId: q.payout, createdFrom: q.created_from, createdTo: q.created_to, limit: q.limit, cursor: q.cursor,
    });
    ctx.body = { data: page.data.map(balanceTransactionJson), has_more: page.hasMore, next_cursor: page.nextCursor };
  });

  router.post('/payouts', async (ctx) => {
    const { purse } = parseInput(createPayoutBody, ctx.request.body);
    const outcome = await createPayout(deps, { trigger: 'request', purse, merchantId: merchantOf(ctx).id, mode: merchantOf(ctx).mode, createKey: ctx.state.idempotencyKey });
    if (isSkipped(outcome)) throw new Error(`a requested payout was skipped: ${outcome.skipped}`);
    ctx.status = 201;
    ctx.body = payoutJson(outcome);
  });

  router.get('/payouts', async (ctx) => {
    const q = parseInput(listPayoutsQuery, ctx.query, 'query');
    const page = await listPayouts(deps, { merchantId: merchantOf(ctx).id, mode: merchantOf(ctx).mode, purse: q.purse, status: q.status, limit: q.limit, cursor: q.cursor });
    ctx.body = { data: page.data.map(payoutJson), has_more: page.hasMore, next_cursor: page.nextCursor };
  });

  router.get('/payouts/:id', async (ctx) => {
    ctx.body = payoutJson(await readPayout(deps, payoutIdOf(ctx), merchantOf(ctx).id, merchantOf(ctx).mode));
  });

  router.get('/payouts/:id/transactions.csv', async (ctx) => {
    const { payout, transactions } = await readStatement(deps, payoutIdOf(ctx), merchantOf(ctx).id, merchantOf(ctx).mode);
    sendCsv(ctx, `${payout.id}.csv`, STATEMENT_COLUMNS, transactions.map(statementRow));
  });
}
