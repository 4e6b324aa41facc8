import type Router from '@koa/router';
import type { AppContext, AppState } from '../shared/context.js';
import type { PayDeps } from '../../use-cases/shared/deps.js';
import { readOfficePayment } from '../../use-cases/office/journal.js';
import { officeCapture, officeRedeliver, officeRefund, officeVoid } from '../../use-cases/office/actions.js';
import { parseInput } from '../../schemas/parse.js';
import { captureForm, refundForm } from '../../schemas/office.js';
import { notificationIdParam } from '../../schemas/payments.js';
import { paymentIdOf } from '../shared/path-ids.js';
import { AppError } from '../../domain/errors.js';
import { formatAmount, parseAmount } from '../../domain/money.js';
import { feeKeptOf, netOf } from '../../domain/fee.js';
import { canDo, type Payment } from '../../domain/payment.js';
import { actorOnce, allow, shownBesideForm } from './guard.js';
import { formOf } from './form.js';
import { confirmThenAct, type ConfirmedAction } from '../shared/confirm-then-act.js';
import type { OfficeView } from './view.js';
import type { Refund } from '../../domain/refund.js';

type Detail = (ctx: AppContext, extra?: { problem?: string; flash?: string }, status?: number) => Promise<void>;

function detailPage(deps: PayDeps, view: OfficeView): Detail {
  return async (ctx, extra = {}, status = 200) => {
    const office = allow(ctx, 'read');
    const data = await readOfficePayment(deps, office.actor.merchantId, paymentIdOf(ctx));
    const p = data.payment;
    // a test payment's page carries the test banner (docs/merchant-guide.md#test-mode)
    if (p.mode === 'test') office.mode = 'test';
    view(ctx, './office-payment', {
      ...data, ...extra,
      // the refund form shows only while something can be refunded: inside the refund window, not yet refunded in full
      canRefund: data.refundable > 0n, canCapture: canDo('capture', p.status), canVoid: canDo('void', p.status),
      left: formatAmount(data.refundable), feeKept: feeKeptOf(p), net: netOf(p),
    }, status);
  };
}

/** Where an action's outcome shows: the payment's page, saying what was done. */
function doneAt(ctx: AppContext, name: 'refund' | 'capture' | 'void' | 'redeliver', amount?: bigint, currency?: string): string {
  const query = new URLSearchParams({ done: name, ...(amount !== undefined && { amount: formatAmount(amount), currency: currency ?? '' }) });
  return `/office/payments/${paymentIdOf(ctx)}?${query}`;
}

/** The message of the action just done, from the redirect's query (amounts checked, never echoed raw). */
function flashOf(ctx: AppContext): string | undefined {
  const t = ctx.state.office?.t;
  const done = typeof ctx.query.done === 'string' ? ctx.query.done : undefined;
  const parsed = parseAmount(ctx.query.amount);
  const amount = parsed.ok ? formatAmount(parsed.minor) : '';
  const currency = typeof ctx.query.currency === 'string' && /^[A-Z]{3}$/.test(ctx.query.currency) ? ctx.query.currency : '';
  return t && done && ['refund', 'capture', 'void', 'redeliver'].includes(done) ? t(`office.done.${done}` as never, { amount, currency }) : undefined;
}

/** A payment's page (docs/merchant-guide.md#back-office) and its actions; each asks for confirmation first, on a page of its own without JavaScript. */
export function paymentRoutes(router: Router<AppState>, deps: PayDeps, view: OfficeView) {
  const detail = detailPage(deps, view);
  router.get('/payments/:id', (ctx) => detail(ctx, { flash: flashOf(ctx) }));

  // one shape for every action (confirmThenAct): the confirmation page, then the use-case, then back to the payment
  // (the same place a second post of the form is sent to: its one-time token was spent with the action)
  const action = <R>(name: 'refund' | 'capture' | 'void', step: (ctx: AppContext, form: URLSearchParams) => Pick<ConfirmedAction<R>, 'done' | 'act'>) =>
    router.post(`/payments/:id/${name}`, async (ctx) => {
      const office = allow(ctx, name);
      const form = formOf(ctx);
      await confirmThenAct(ctx, view, { ...confirmPage(ctx, deps, name, form), ...step(ctx, form), t: office.t, shownBesideForm, formPage: detail });
    });

  action<Refund>('refund', (ctx, form) => ({
    done: (r: Refund) => doneAt(ctx, 'refund', r.amount, r.currency),
    act: (done) => {
      const { amount } = parseInput(refundForm, Object.fromEntries(form), 'form');
      return officeRefund(deps, actorOnce(ctx, done), paymentIdOf(ctx), amount);
    },
  }));
  action<Payment>('capture', (ctx, form) => ({
    done: (p: Payment) => doneAt(ctx, 'capture', p.amountCaptured, p.currency),
    act: (done) => {
      const { amount } = parseInput(captureForm, Object.fromEntries(form), 'form');
      return officeCapture(deps, actorOnce(ctx, done), paymentIdOf(ctx), amount);
    },
  }));
  action('void', (ctx) => ({ done: doneAt(ctx, 'void'), act: (done) => officeVoid(deps, actorOnce(ctx, done), paymentIdOf(ctx)) }));
  redeliverRoute(router, deps, view, detail);
}

function redeliverRoute(router: Router<AppState>, deps: PayDeps, view: OfficeView, detail: Detail) {
  router.post('/payments/:id/notifications/:nid/redeliver', async (ctx) => {
    const office = allow(ctx, 'redeliver');
    const nid = notificationIdParam.safeParse(ctx.params.nid);
    if (!nid.success) throw new AppError('notification_not_found', 'No such notification');
    await confirmThenAct(ctx, view, {
      ...confirmPage(ctx, deps, 'redeliver', formOf(ctx), nid.data), done: doneAt(ctx, 'redeliver'),
      act: (done) => officeRedeliver(deps, actorOnce(ctx, done), nid.data), t: office.t, shownBesideForm, formPage: detail,
    });
  });
}

/** The confirmation page of an action: its question names the payment's currency, read only when the page is shown. */
function confirmPage(ctx: AppContext, deps: PayDeps, name: 'refund' | 'capture' | 'void' | 'redeliver', form: URLSearchParams, notificationId?: string) {
  const id = String(ctx.params.id);
  const amount = form.get('amount') ?? '';
  const question = async () => {
    const office = allow(ctx, 'read');
    const t = office.t;
    // the question names the payment's currency, as the dialog of the page with JavaScript does
    const { currency } = (await readOfficePayment(deps, office.actor.merchantId, paymentIdOf(ctx))).payment;
    return name === 'refund' && !amount ? t('office.confirm.refund_rest', { id })
      : t(`office.confirm.${name}`, { id: notificationId ?? id, amount, currency }).replace(/\s+\?/, '?');
  };
  return { question, fields: amount ? [['amount', amount]] as [string, string][] : [], back: `/office/payments/${id}` };
}
