import type Router from '@koa/router';
import type { AppContext, AppState } from '../shared/context.js';
import type { PayDeps } from '../../use-cases/shared/deps.js';
import { consoleRefund, readConsolePayment, searchAllPayments } from '../../use-cases/console/payments.js';
import { consoleRedeliver } from '../../use-cases/console/notifications.js';
import { parseInput } from '../../schemas/parse.js';
import { consolePaymentsQuery } from '../../schemas/console.js';
import { refundForm } from '../../schemas/office.js';
import { notificationIdParam } from '../../schemas/payments.js';
import { paymentIdOf } from '../shared/path-ids.js';
import { PAYMENT_STATUSES } from '../../domain/payment.js';
import { AppError } from '../../domain/errors.js';
import { formatAmount, parseAmount } from '../../domain/money.js';
import { feeKeptOf, netOf } from '../../domain/fee.js';
import type { Refund } from '../../domain/refund.js';
import { formOf } from '../shared/form.js';
import { confirmThenAct } from '../shared/confirm-then-act.js';
import { actorOnce, allow, shownBesideForm } from './guard.js';
import type { ConsoleView } from './view.js';

type Detail = (ctx: AppContext, extra?: { problem?: string; flash?: string }, status?: number) => Promise<void>;

function detailPage(deps: PayDeps, view: ConsoleView): Detail {
  return async (ctx, extra = {}, status = 200) => {
    allow(ctx, 'read');
    const data = await readConsolePayment(deps, paymentIdOf(ctx));
    const p = data.payment;
    // the operator refunds a suspended merchant's payment too; capture and void stay the merchant's
    view(ctx, './office-payment', { ...data, ...extra, canRefund: data.refundable > 0n, canCapture: false, canVoid: false, left: formatAmount(data.refundable), feeKept: feeKeptOf(p), net: netOf(p) }, status);
  };
}

/** The message of the action just done, from the redirect's query (the amount checked, never echoed raw). */
function flashOf(ctx: AppContext): string | undefined {
  const t = ctx.state.console?.t;
  const parsed = parseAmount(ctx.query.amount);
  const currency = typeof ctx.query.currency === 'string' && /^[A-Z]{3}$/.test(ctx.query.currency) ? ctx.query.currency : '';
  if (!t) return undefined;
  if (ctx.query.done === 'refund') return t('office.done.refund', { amount: parsed.ok ? formatAmount(parsed.minor) : '', currency });
  if (ctx.query.done === 'redeliver') return t('office.done.redeliver');
  return undefined;
}

/** docs/operator-guide.md#operator-console: payments across merchants (live), a payment's timeline, the operator's refund and redelivery. */
export function paymentRoutes(router: Router<AppState>, deps: PayDeps, view: ConsoleView) {
  router.get('/payments', async (ctx) => {
    allow(ctx, 'read');
    const q = parseInput(consolePaymentsQuery, ctx.query, 'query');
    const page = await searchAllPayments(deps, { q: q.q, status: q.status, limit: q.limit, cursor: q.cursor });
    const params = new URLSearchParams(Object.entries({ q: q.q, status: q.status }).filter(([, v]) => v) as [string, string][]).toString();
    view(ctx, './console-payments', { page, q, params, statuses: PAYMENT_STATUSES, live: !q.cursor });
  });
  const detail = detailPage(deps, view);
  router.get('/payments/:id', (ctx) => detail(ctx, { flash: flashOf(ctx) }));

  router.post('/payments/:id/refund', async (ctx) => {
    const state = allow(ctx, 'refund');
    const form = formOf(ctx);
    const id = paymentIdOf(ctx);
    const amount = form.get('amount') ?? '';
    await confirmThenAct(ctx, view, {
      question: amount ? state.t('office.confirm.refund', { id, amount, currency: '' }).replace(/\s+\?/, '?') : state.t('office.confirm.refund_rest', { id }),
      fields: amount ? [['amount', amount]] : [], back: `/console/payments/${id}`,
      done: (r: Refund) => `/console/payments/${id}?${new URLSearchParams({ done: 'refund', amount: formatAmount(r.amount), currency: r.currency })}`,
      act: (done) => consoleRefund(deps, actorOnce(ctx, done), id, parseInput(refundForm, { amount }, 'form').amount),
      t: state.t, shownBesideForm, formPage: detail,
    });
  });

  router.post('/payments/:id/notifications/:nid/redeliver', async (ctx) => {
    const state = allow(ctx, 'redeliver');
    const id = paymentIdOf(ctx);
    const nid = notificationIdParam.safeParse(ctx.params.nid);
    if (!nid.success) throw new AppError('notification_not_found', 'No such notification');
    // a refusal gets a page of its own: no form page given
    await confirmThenAct(ctx, view, {
      question: state.t('office.confirm.redeliver', { id: nid.data }), back: `/console/payments/${id}`, done: `/console/payments/${id}?done=redeliver`,
      act: (done) => consoleRedeliver(deps, actorOnce(ctx, done), nid.data),
    });
  });
}
