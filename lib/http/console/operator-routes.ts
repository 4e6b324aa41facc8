import type Router from '@koa/router';
import type { AppContext, AppState } from '../shared/context.js';
import type { PayDeps } from '../../use-cases/shared/deps.js';
import { changeOperator, createOperator, listOperatorRows, type OperatorChange } from '../../use-cases/console/operators.js';
import { parseInput } from '../../schemas/parse.js';
import { createOperatorBody, operatorIdParam } from '../../schemas/console.js';
import { CONSOLE_ROLES, isConsoleRole } from '../../domain/console.js';
import { AppError, isAppError } from '../../domain/errors.js';
import { field, formOf } from '../shared/form.js';
import { actorOnce, allow, shownBesideForm } from './guard.js';
import type { ConsoleView } from './view.js';

type Page = (ctx: AppContext, extra?: Record<string, unknown>, status?: number) => Promise<void>;
const CHANGES = ['role', 'disable', 'enable'] as const;
// the admin's own rules (lib/use-cases/console/operators.ts), each with its sentence on the page
const REFUSALS = { own_operator: 'console.operators.own', last_admin: 'console.operators.last_admin' } as const;

function operatorsPage(deps: PayDeps, view: ConsoleView): Page {
  return async (ctx, extra = {}, status = 200) => {
    const state = allow(ctx, 'manage_operators');
    view(ctx, './console-operators', { operators: await listOperatorRows(deps), me: state.actor.userId, roles: CONSOLE_ROLES, ...extra }, status);
  };
}

/**
 * docs/operator-guide.md#operator-console: an admin lists the operator users, invites one (the set-up link of `operators:create`,
 * shown on this answer only), changes a role, disables (confirmed first; every session ends) and enables.
 */
export function operatorRoutes(router: Router<AppState>, deps: PayDeps, view: ConsoleView) {
  const page = operatorsPage(deps, view);
  router.get('/operators', (ctx) => {
    const done = CHANGES.find((c) => c === ctx.query.done);
    return page(ctx, { flash: done && ctx.state.console?.t(`console.operators.done.${done}`) });
  });
  router.post('/operators', async (ctx) => {
    const state = allow(ctx, 'manage_operators');
    const form = formOf(ctx);
    const fields = { email: (form.get('email') ?? '').slice(0, 254).trim(), role: (form.get('role') ?? '').slice(0, 10) };
    try {
      const input = parseInput(createOperatorBody, { email: field(form, 'email', 254).trim(), role: field(form, 'role', 10) }, 'form');
      // a second post of the form lands on the list, which never shows the link again
      const created = await createOperator(deps, input, actorOnce(ctx, '/console/operators'));
      await page(ctx, { shownOnce: { label: state.t('console.operators.invited', { email: created.email }), value: created.setupUrl } }, 201);
    } catch (err) {
      if (isAppError(err) && err.code === 'user_exists') return page(ctx, { problem: state.t('console.operators.exists'), form: fields }, 409);
      if (!shownBesideForm(err)) throw err;
      await page(ctx, { problem: state.t('office.error.invalid', { detail: err.message }), form: fields }, err.status);
    }
  });
  for (const name of CHANGES) changeRoute(router, deps, view, page, name);
}

function changeRoute(router: Router<AppState>, deps: PayDeps, view: ConsoleView, page: Page, name: (typeof CHANGES)[number]) {
  router.post(`/operators/:id/${name}`, async (ctx) => {
    const state = allow(ctx, 'manage_operators');
    const id = operatorIdParam.safeParse(ctx.params.id);
    if (!id.success) throw new AppError('user_not_found', 'No such operator');
    const form = formOf(ctx);
    const role = name === 'role' ? field(form, 'role', 10) : undefined;
    if (role !== undefined && !isConsoleRole(role)) {
      return page(ctx, { problem: state.t('office.error.invalid', { detail: 'role is "admin", "finance", "support" or "cashier"' }) }, 400);
    }
    const change: OperatorChange = isConsoleRole(role) ? { role } : { status: name === 'disable' ? 'disabled' : 'active' };
    // disabling and enabling are confirmed first, as suspending and activating a merchant are
    if (name !== 'role' && form.get('confirmed') !== '1') {
      const email = (await listOperatorRows(deps)).find((o) => o.id === id.data)?.email;
      if (!email) throw new AppError('user_not_found', 'No such operator');
      return view(ctx, './office-confirm', { question: state.t(`console.operators.confirm_${name}`, { email }), action: ctx.path, fields: [], back: '/console/operators' });
    }
    const done = `/console/operators?done=${name}`;
    try {
      await changeOperator(deps, id.data, change, actorOnce(ctx, done));
    } catch (err) {
      if (isAppError(err) && (err.code === 'own_operator' || err.code === 'last_admin')) return page(ctx, { problem: state.t(REFUSALS[err.code]) }, err.status);
      if (!shownBesideForm(err)) throw err;
      return page(ctx, { problem: state.t('office.error.invalid', { detail: err.message }) }, err.status);
    }
    ctx.status = 303;
    ctx.redirect(done);
  });
}
