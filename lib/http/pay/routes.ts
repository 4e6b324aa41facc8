import Router from '@koa/router';
import type { Eta } from 'eta';
import type { AppContext, AppState } from '../shared/context.js';
import type { PayDeps } from '../../use-cases/shared/deps.js';
import { findCheckoutByLink } from '../../use-cases/payments/read-checkout.js';
import { startFormPayment } from '../../use-cases/payments/start-form-payment.js';
import { openPayLink } from '../../use-cases/payments/open-pay-link.js';
import { sendCode } from '../../use-cases/payments/send-code.js';
import { confirmPayment } from '../../use-cases/payments/confirm-payment.js';
import { cancelPayment } from '../../use-cases/payments/cancel-payment.js';
import { isAppError } from '../../domain/errors.js';
import { assertUnder, consume, count } from '../../use-cases/limits/rate-limit.js';
import { type PaymentId, LINK_TOKEN_PATTERN } from '../../domain/ids.js';
import { parsePhone } from '../../domain/phone.js';
import { isOpen, type Payment } from '../../domain/payment.js';
import { translator } from '../../i18n/index.js';
import { parseLmiForm } from '../../schemas/lmi-form.js';
import { browserHash } from './browser-id.js';
import { payPageView, type PayPageView } from './page-view.js';
import { checkoutHelpers, type Checkout } from './checkout.js';
import { clientOf } from '../shared/client-address.js';
import { passkeyPayRoutes } from './passkey-routes.js';
import { receiptRoutes } from './receipt-routes.js';
import { brandRoutes } from './brand-routes.js';

/** The hosted pages of docs/merchant-guide.md#the-form and docs/merchant-guide.md#success-and-fail: server-rendered forms that work without JavaScript; pay links. */
export function payPages(deps: PayDeps, views: Eta) {
  const router = new Router<AppState>();
  const view = payPageView(deps, views);
  const checkout = checkoutHelpers(deps, view);
  router.use(async (ctx, next) => {
    ctx.state.errorFormat = 'html';
    await next();
  });
  formRoutes(router, deps, view);
  stepRoutes(router, deps, view, checkout);
  linkRoutes(router, deps, view, checkout);
  passkeyPayRoutes(router, deps, checkout);
  receiptRoutes(router, deps, views);
  brandRoutes(router, deps);
  return router;
}

/** The Merchant Interface form: a new payment (or the same browser's open one), then its page. */
function formRoutes(router: Router<AppState>, deps: PayDeps, view: PayPageView) {
  router.post('/lmi/payment', async (ctx) => {
    const form = parseLmiForm(ctx.request.body);
    // docs/merchant-guide.md#abuse-limits: new payments per client address (the buyer's browser)
    await consume(deps, 'form_payments', clientOf(ctx));
    try {
      const payment = await startFormPayment(deps, form, browserHash(ctx));
      ctx.state.paymentId = payment.id;
      ctx.status = 303;
      ctx.redirect(`/pay/${payment.id}`);
    } catch (err) {
      if (isAppError(err) && err.code === 'payment_in_progress') return view.busy(ctx, form.lang);
      throw err;
    }
  });
}

/** The page and its steps: phone, code, a new code, cancel. */
function stepRoutes(router: Router<AppState>, deps: PayDeps, view: PayPageView, checkout: Checkout) {
  router.get('/pay/:id', async (ctx) => {
    const payment = await checkout.load(ctx);
    // a stranger sees neither the phone nor the way back (its fields carry the phone): only that the order is taken
    if (!(await checkout.ownedBy(ctx, payment))) return view.busy(ctx, payment.lang);
    await view.render(ctx, payment, { step: ctx.query.step === 'phone' && payment.status === 'code_sent' ? 'phone' : undefined });
  });

  router.post('/pay/:id/phone', async (ctx) => {
    const payment = await checkout.guardedForm(ctx);
    const typed = checkout.field(ctx, 'phone') ?? '';
    const parsed = parsePhone(typed);
    const lang = view.langOf(ctx, payment);
    if (!parsed.ok) return view.render(ctx, payment, { step: 'phone', error: translator(lang)('error.phone_invalid'), phoneValue: typed, status: 400 });
    await checkout.act(ctx, payment, 'phone', () => countPageCode(deps, ctx, payment).then(() => sendCode(deps, { paymentId: payment.id, phone: parsed.phone, lang })), typed);
  });

  router.post('/pay/:id/code', async (ctx) => {
    const payment = await checkout.guardedForm(ctx);
    const code = (checkout.field(ctx, 'code') ?? '').replace(/\s/g, '');
    await checkout.act(ctx, payment, 'code', () => confirmOnPage(deps, ctx, payment.id, code));
  });

  router.post('/pay/:id/resend', async (ctx) => {
    const payment = await checkout.guardedForm(ctx);
    await checkout.act(ctx, payment, 'code', () => countPageCode(deps, ctx, payment).then(() => sendCode(deps, { paymentId: payment.id, lang: view.langOf(ctx, payment) })));
  });

  router.post('/pay/:id/cancel', async (ctx) => {
    const payment = await checkout.guardedForm(ctx);
    await checkout.act(ctx, payment, 'code', () => cancelPayment(deps, { paymentId: payment.id }));
  });
}

/** A pay link: the payment is bound to the phone it was sent to; opening it sends the code once. */
function linkRoutes(router: Router<AppState>, deps: PayDeps, view: PayPageView, checkout: Checkout) {
  router.get('/l/:token', async (ctx) => {
    const token = ctx.params.token ?? '';
    const payment = LINK_TOKEN_PATTERN.test(token) ? await findCheckoutByLink(deps, token) : undefined;
    if (!payment || !isOpen(payment.status) || payment.expiresAt <= deps.clock.now()) return view.linkExpired(ctx);
    ctx.state.paymentId = payment.id;
    if (!(await checkout.ownedBy(ctx, payment))) return view.busy(ctx, payment.lang);
    await checkout.act(ctx, payment, 'phone', () => countPageCode(deps, ctx, payment).then(() => openPayLink(deps, payment.id, view.langOf(ctx, payment))));
  });
}


/** The per-address code cap (docs/merchant-guide.md#abuse-limits) guards real SMS; test mode sends none (docs/merchant-guide.md#the-json-api), so the demo and test shops never reach it. */
function countPageCode(deps: PayDeps, ctx: AppContext, payment: Pick<Payment, 'mode'>): Promise<void> {
  return payment.mode === 'test' ? Promise.resolve() : consume(deps, 'page_codes', clientOf(ctx));
}

/** A code typed on the page: refused once this address typed too many wrong ones this hour; a wrong one is counted. */
async function confirmOnPage(deps: PayDeps, ctx: AppContext, paymentId: PaymentId, code: string) {
  await assertUnder(deps, 'page_wrong_codes', clientOf(ctx));
  try {
    return await confirmPayment(deps, { paymentId, code, client: `ip:${clientOf(ctx)}` });
  } catch (err) {
    if (isAppError(err) && (err.code === 'code_invalid' || err.code === 'too_many_attempts')) await count(deps, 'page_wrong_codes', clientOf(ctx));
    throw err;
  }
}
