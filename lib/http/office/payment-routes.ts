import type Router from '@koa/router';
import type { AppContext, AppState } from '../shared/context.js';
import type { PayDeps } from '../../use-cases/deps.js';
import { readOfficePayment } from '../../use-cases/office-journal.js';
import { officeCapture, officeRedeliver, officeRefund, officeVoid } from '../../use-cases/office-actions.js';
import { parseInput } from '../../schemas/parse.js';
import { captureForm, refundForm } from '../../schemas/office.js';
import { idParam, notificationIdParam } from '../../schemas/payments.js';
import { AppError, isAppError } from '../../domain/errors.js';
import { formatAmount } from '../../domain/money.js';
import { canDo } from '../../domain/payment.js';
import type { PaymentId } from '../../domain/ids.js';
import { allow } from './guard.js';
import { formOf } from './form.js';
import type { OfficeView } from './view.js';

function paymentIdOf(ctx: AppContext): PaymentId {
  const parsed = idParam.safeParse(ctx.params.id);
  if (!parsed.success) throw new AppError('payment_not_found', 'No such payment');
  return parsed.data;
}

type Detail = (ctx: AppContext, extra?: { problem?: string; flash?: string }, status?: number) => Promise<void>;

function detailPage(deps: PayDeps, view: OfficeView): Detail {
  return async (ctx, extra = {}, status = 200) => {
    const office = allow(ctx, 'read');
    const data = await readOfficePayment(deps, office.actor.merchantId, paymentIdOf(ctx));
    const p = data.payment;
    view(ctx, './office-payment', {
      ...data, ...extra,
      canRefund: canDo('refund', p.status) && p.amountRefunded < p.amountCaptured, canCapture: canDo('capture', p.status), canVoid: canDo('void', p.status),
      left: formatAmount(p.amountCaptured - p.amountRefunded),
    }, status);
  };
}

/** The message of the action just done, from the redirect's query (amounts checked, never echoed raw). */
function flashOf(ctx: AppContext): string | undefined {
  const t = ctx.state.office?.t;
  const done = typeof ctx.query.done === 'string' ? ctx.query.done : undefined;
  const amount = typeof ctx.query.amount === 'string' && /^\d{1,13}\.\d{2}$/.test(ctx.query.amount) ? ctx.query.amount : '';
  const currency = typeof ctx.query.currency === 'string' && /^[A-Z]{3}$/.test(ctx.query.currency) ? ctx.query.currency : '';
  return t && done && ['refund', 'capture', 'void', 'redeliver'].includes(done) ? t(`office.done.${done}` as never, { amount, currency }) : undefined;
}

/** A payment's page (spec §12) and its actions; each asks for confirmation first, on a page of its own without JavaScript. */
export function paymentRoutes(router: Router<AppState>, deps: PayDeps, view: OfficeView) {
  const detail = detailPage(deps, view);
  router.get('/payments/:id', (ctx) => detail(ctx, { flash: flashOf(ctx) }));

  // one shape for every action: without confirmed=1 the confirmation page, with it the use-case, then back to the payment
  const action = (name: 'refund' | 'capture' | 'void', run: (ctx: AppContext, form: URLSearchParams) => Promise<{ amount?: bigint; currency?: string }>) =>
    router.post(`/payments/:id/${name}`, async (ctx) => {
      const office = allow(ctx, name);
      const form = formOf(ctx);
      if (form.get('confirmed') !== '1') return confirmPage(ctx, view, name, form);
      try {
        const done = await run(ctx, form);
        const query = new URLSearchParams({ done: name, ...(done.amount !== undefined && { amount: formatAmount(done.amount), currency: done.currency ?? '' }) });
        ctx.status = 303;
        ctx.redirect(`/office/payments/${paymentIdOf(ctx)}?${query}`);
      } catch (err) {
        if (!isAppError(err) || err.status >= 500) throw err;
        await detail(ctx, { problem: office.t('office.error.invalid', { detail: err.message }) }, err.status);
      }
    });

  action('refund', async (ctx, form) => {
    const { amount } = parseInput(refundForm, Object.fromEntries(form), 'form');
    const refund = await officeRefund(deps, ctx.state.office!.actor, paymentIdOf(ctx), amount);
    return { amount: refund.amount, currency: refund.currency };
  });
  action('capture', async (ctx, form) => {
    const { amount } = parseInput(captureForm, Object.fromEntries(form), 'form');
    const p = await officeCapture(deps, ctx.state.office!.actor, paymentIdOf(ctx), amount);
    return { amount: p.amountCaptured, currency: p.currency };
  });
  action('void', async (ctx) => {
    await officeVoid(deps, ctx.state.office!.actor, paymentIdOf(ctx));
    return {};
  });
  redeliverRoute(router, deps, view, detail);
}

function redeliverRoute(router: Router<AppState>, deps: PayDeps, view: OfficeView, detail: Detail) {
  router.post('/payments/:id/notifications/:nid/redeliver', async (ctx) => {
    const office = allow(ctx, 'redeliver');
    const form = formOf(ctx);
    const nid = notificationIdParam.safeParse(ctx.params.nid);
    if (!nid.success) throw new AppError('notification_not_found', 'No such notification');
    if (form.get('confirmed') !== '1') return confirmPage(ctx, view, 'redeliver', form, nid.data);
    try {
      await officeRedeliver(deps, office.actor, nid.data);
    } catch (err) {
      if (!isAppError(err) || err.status >= 500) throw err;
      return detail(ctx, { problem: office.t('office.error.invalid', { detail: err.message }) }, err.status);
    }
    ctx.status = 303;
    ctx.redirect(`/office/payments/${paymentIdOf(ctx)}?done=redeliver`);
  });
}

function confirmPage(ctx: AppContext, view: OfficeView, name: 'refund' | 'capture' | 'void' | 'redeliver', form: URLSearchParams, notificationId?: string) {
  const t = ctx.state.office!.t;
  const id = String(ctx.params.id);
  const amount = form.get('amount') ?? '';
  const question = name === 'refund' && !amount ? t('office.confirm.refund_rest', { id })
    : t(`office.confirm.${name}`, { id: notificationId ?? id, amount, currency: '' }).replace(/\s+\?/, '?');
  view(ctx, './office-confirm', { question, action: ctx.path, fields: amount ? [['amount', amount]] : [], back: `/office/payments/${id}` });
}
