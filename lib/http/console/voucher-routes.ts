import type Router from '@koa/router';
import type { AppContext, AppState } from '../shared/context.js';
import type { PayDeps } from '../../use-cases/shared/deps.js';
import { listVouchers } from '../../use-cases/vouchers/list-vouchers.js';
import { consoleIssueVouchers, consoleVoidVoucher } from '../../use-cases/console/vouchers.js';
import type { IssuedBatch } from '../../use-cases/vouchers/issue-vouchers.js';
import { parseInput } from '../../schemas/parse.js';
import { voucherIdParam } from '../../schemas/vouchers.js';
import { vouchersForm, vouchersPageQuery } from '../../schemas/console-money.js';
import { AppError } from '../../domain/errors.js';
import { formatAmount } from '../../domain/money.js';
import { csvText } from '../shared/csv.js';
import { formOf } from '../shared/form.js';
import { confirmThenAct } from '../shared/confirm-then-act.js';
import { actorOnce, allow, shownBesideForm } from './guard.js';
import type { ConsoleView } from './view.js';

const CODE_COLUMNS = ['id', 'code', 'amount', 'currency', 'expires_at'] as const;

function vouchersPage(deps: PayDeps, view: ConsoleView) {
  return async (ctx: AppContext, extra: { problem?: string; flash?: string; form?: Record<string, string> } = {}, status = 200) => {
    allow(ctx, 'read');
    const q = parseInput(vouchersPageQuery, ctx.method === 'GET' ? ctx.query : {}, 'query');
    const page = await listVouchers(deps, { batchId: q.batch_id, status: q.status, cursor: q.cursor as never, limit: 50 });
    view(ctx, './console-vouchers', { page, q, ...extra }, status);
  };
}

/**
 * The batch just made, on the one answer that carries its codes: the CSV rides inside this page as a data: link,
 * so no address serves the codes again (docs/operator-guide.md#operator-console).
 */
function issuedPage(ctx: AppContext, view: ConsoleView, batch: IssuedBatch) {
  const rows = batch.vouchers.map(({ voucher: v, code }) => [v.id, code, formatAmount(v.amount), v.currency, v.expiresAt?.toISOString() ?? '']);
  const csv = `data:text/csv;charset=utf-8,${encodeURIComponent(csvText(CODE_COLUMNS, rows))}`;
  view(ctx, './console-vouchers-issued', { batch, csv, filename: `vouchers-${batch.batchId}.csv` }, 201);
}

/** docs/operator-guide.md#operator-console: make a batch (codes shown once), list, void. */
export function voucherRoutes(router: Router<AppState>, deps: PayDeps, view: ConsoleView) {
  const page = vouchersPage(deps, view);
  router.get('/vouchers', (ctx) => page(ctx, { flash: ctx.query.done === 'void' ? ctx.state.console?.t('console.vouchers.done.void') : undefined }));
  router.post('/vouchers', async (ctx) => {
    const state = allow(ctx, 'voucher');
    const form = formOf(ctx);
    const fields = Object.fromEntries(['currency', 'amount', 'count', 'mode'].map((f) => [f, (form.get(f) ?? '').slice(0, 40)]));
    try {
      const input = parseInput(vouchersForm, fields, 'form');
      if (form.get('confirmed') !== '1') {
        const question = state.t('console.vouchers.confirm', { count: String(input.count), amount: formatAmount(input.amount), currency: input.currency });
        return view(ctx, './office-confirm', { question, action: ctx.path, fields: Object.entries(fields), back: '/console/vouchers' });
      }
      // a second post of the form lands on the batch's list, without its codes
      const outcome = (b: IssuedBatch) => `/console/vouchers?batch_id=${b.batchId}`;
      issuedPage(ctx, view, await consoleIssueVouchers(deps, actorOnce(ctx, outcome), { currency: input.currency, amount: input.amount, count: input.count, mode: input.mode }));
    } catch (err) {
      if (!shownBesideForm(err)) throw err;
      await page(ctx, { problem: state.t('office.error.invalid', { detail: err.message }), form: fields }, err.status);
    }
  });
  router.post('/vouchers/:id/void', async (ctx) => {
    const state = allow(ctx, 'voucher');
    const id = voucherIdParam.safeParse(ctx.params.id);
    if (!id.success) throw new AppError('voucher_not_found', 'No such voucher');
    await confirmThenAct(ctx, view, {
      question: state.t('console.vouchers.confirm_void', { id: id.data }), back: '/console/vouchers', done: '/console/vouchers?done=void',
      act: (done) => consoleVoidVoucher(deps, actorOnce(ctx, done), id.data),
      t: state.t, shownBesideForm, formPage: page,
    });
  });
}
