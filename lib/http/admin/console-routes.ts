import type Router from '@koa/router';
import type { AppContext, AppState } from '../shared/context.js';
import type { Deps } from '../../use-cases/shared/deps.js';
import { parseInput } from '../../schemas/parse.js';
import { createOperatorBody, listUsersQuery, operatorIdParam, searchPaymentsQuery, updateOperatorBody } from '../../schemas/console.js';
import { adminCreateOperator, adminListOperators, adminListUsers, adminSearchPayments, adminUpdateOperator } from '../../admin/console.js';
import { AppError } from '../../domain/errors.js';
import type { Outcome } from '../../admin/operations.js';

function answer(ctx: AppContext, outcome: Outcome) {
  ctx.status = outcome.created ? 201 : 200;
  ctx.body = outcome.body;
}

/** Operator users, merchants' users and payments across merchants (docs/operator-guide.md#operator-console) under /admin/v1. */
export function consoleAdminRoutes(router: Router<AppState>, deps: Deps) {
  router.get('/operators', async (ctx) => answer(ctx, await adminListOperators(deps)));
  router.post('/operators', async (ctx) => answer(ctx, await adminCreateOperator(deps, parseInput(createOperatorBody, ctx.request.body), 'admin-api')));
  router.patch('/operators/:id', async (ctx) => {
    const id = operatorIdParam.safeParse(ctx.params.id);
    if (!id.success) throw new AppError('user_not_found', `No operator ${String(ctx.params.id).slice(0, 40)}`);
    answer(ctx, await adminUpdateOperator(deps, id.data, parseInput(updateOperatorBody, ctx.request.body), 'admin-api'));
  });
  router.get('/users', async (ctx) => answer(ctx, await adminListUsers(deps, parseInput(listUsersQuery, ctx.query, 'query'))));
  router.get('/payments', async (ctx) => answer(ctx, await adminSearchPayments(deps, parseInput(searchPaymentsQuery, ctx.query, 'query'))));
}
