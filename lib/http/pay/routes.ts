import Router from '@koa/router';
import type { Eta } from 'eta';
import type { AppContext, AppState } from '../shared/context.js';
import type { PayDeps } from '../../use-cases/deps.js';
import { findPayment, findPaymentByLinkToken, type PaymentRow } from '../../store/payments.js';
import { findMerchantByPurse } from '../../store/merchants.js';
import { currentCode } from '../../store/codes.js';
import { createPayment } from '../../use-cases/create-payment.js';
import { sendCode } from '../../use-cases/send-code.js';
import { confirmPayment } from '../../use-cases/confirm-payment.js';
import { cancelPayment } from '../../use-cases/cancel-payment.js';
import { claimCheckout } from '../../use-cases/claim-checkout.js';
import { AppError, isAppError, invalidRequest } from '../../domain/errors.js';
import { parsePhone } from '../../domain/phone.js';
import { isOpen, outcomeOf } from '../../domain/payment.js';
import { translator } from '../../i18n/index.js';
import { parseLmiForm, checkFormSignature } from './lmi-form.js';
import { parseFormBody } from './form-body.js';
import { checkCsrf } from './csrf.js';
import { browserHash } from './browser-id.js';
import { payPageView, localError } from './page-view.js';

const ID = /^pay_[0-9a-z]{24}$/;
const LINK = /^[0-9a-z]{10}$/;

/** The hosted pages of spec §2 and §5: server-rendered forms that work without JavaScript; pay links. */
export function payPages(deps: PayDeps, views: Eta) {
  const router = new Router<AppState>();
  const serverKey = deps.config.codeSecret!;
  const view = payPageView(deps, views);
  router.use(async (ctx, next) => {
    ctx.state.errorFormat = 'html';
    await next();
  });

  async function load(ctx: AppContext): Promise<PaymentRow> {
    const id = ctx.params.id ?? '';
    const payment = ID.test(id) ? await findPayment(deps.db, id) : undefined;
    if (!payment) throw new AppError('payment_not_found', translator(view.langOf(ctx))('error.payment_not_found'));
    return payment;
  }

  /** The page's steps belong to the browser that took the first one; any other browser learns only that the order is being paid. */
  async function ownedBy(ctx: AppContext, payment: PaymentRow): Promise<boolean> {
    return claimCheckout(deps, payment.id, browserHash(ctx));
  }

  function formField(ctx: AppContext, name: string): string | null {
    if (typeof ctx.request.body !== 'string') return null;
    const form = parseFormBody(ctx.request.body);
    if (!form.ok) throw invalidRequest(`${form.field} ${form.message}`, [{ field: form.field, message: form.message }]);
    return form.pairs.find(([n]) => n === name)?.[1] ?? null;
  }

  async function guardedForm(ctx: AppContext): Promise<PaymentRow> {
    const payment = await load(ctx);
    const t = translator(view.langOf(ctx, payment));
    if (!(await ownedBy(ctx, payment))) throw new AppError('forbidden', t('busy.text'));
    try {
      checkCsrf(ctx, serverKey, payment.id, formField(ctx, 'csrf'));
    } catch {
      throw new AppError('forbidden', t('error.forbidden'));
    }
    return payment;
  }

  /** Runs a buyer action; a refusal the buyer can fix re-shows the form with the reason, in the buyer's language. */
  async function act(ctx: AppContext, payment: PaymentRow, step: 'phone' | 'code', work: () => Promise<unknown>, phoneValue?: string) {
    try {
      await work();
    } catch (err) {
      if (!isAppError(err) || (err.status >= 500 && err.code !== 'sms_send_failed')) throw err;
      const fresh = (await findPayment(deps.db, payment.id))!;
      const outcome = outcomeOf(fresh.status);
      if (outcome) return view.leave(ctx, fresh, outcome);
      const triesLeft = typeof err.extra.tries_left === 'number' ? err.extra.tries_left : undefined;
      for (const [name, value] of Object.entries(err.headers)) ctx.set(name, value);
      const t = translator(view.langOf(ctx, fresh));
      const retype = err.code === 'no_wallet' ? 'phone' : step;
      return view.render(ctx, fresh, { step: retype, error: localError(t, err), triesLeft, phoneValue, status: err.status });
    }
    ctx.status = 303;
    ctx.redirect(`/pay/${payment.id}`);
  }

  router.post('/lmi/payment', async (ctx) => {
    const form = parseLmiForm(ctx.request.body);
    const merchant = await findMerchantByPurse(deps.db, form.payeePurse);
    if (!merchant) throw invalidRequest('LMI_PAYEE_PURSE is not the wallet of any shop', [{ field: 'LMI_PAYEE_PURSE', message: 'unknown purse' }]);
    checkFormSignature(form, merchant);
    // WebMoney's "allow URLs passed in form": off unless the shop turned it on (spec §9)
    const urls = merchant.allowFormUrls ? { resultUrl: form.resultUrl, successUrl: form.successUrl, failUrl: form.failUrl } : {};
    try {
      const { payment } = await createPayment(deps, {
        merchant, payeePurse: form.payeePurse, amount: form.amount, paymentNo: form.paymentNo, description: form.description,
        source: 'form', createKey: null, ...urls, successMethod: form.successMethod, failMethod: form.failMethod,
        customFields: form.customFields, metadata: {}, simMode: form.simMode, lang: form.lang, phone: null, browserHash: browserHash(ctx),
      });
      ctx.status = 303;
      ctx.redirect(`/pay/${payment.id}`);
    } catch (err) {
      if (isAppError(err) && err.code === 'payment_in_progress') return view.busy(ctx, form.lang);
      throw err;
    }
  });

  router.get('/pay/:id', async (ctx) => {
    const payment = await load(ctx);
    // a stranger sees neither the phone nor the way back (its fields carry the phone): only that the order is taken
    if (!(await ownedBy(ctx, payment))) return view.busy(ctx, payment.lang);
    await view.render(ctx, payment, { step: ctx.query.step === 'phone' && payment.status === 'code_sent' ? 'phone' : undefined });
  });

  router.post('/pay/:id/phone', async (ctx) => {
    const payment = await guardedForm(ctx);
    const typed = formField(ctx, 'phone') ?? '';
    const parsed = parsePhone(typed);
    const lang = view.langOf(ctx, payment);
    if (!parsed.ok) return view.render(ctx, payment, { step: 'phone', error: translator(lang)('error.phone_invalid'), phoneValue: typed, status: 400 });
    await act(ctx, payment, 'phone', () => sendCode(deps, { paymentId: payment.id, phone: parsed.phone, lang }), typed);
  });

  router.post('/pay/:id/code', async (ctx) => {
    const payment = await guardedForm(ctx);
    const code = (formField(ctx, 'code') ?? '').replace(/\s/g, '');
    await act(ctx, payment, 'code', () => confirmPayment(deps, { paymentId: payment.id, code }));
  });

  router.post('/pay/:id/resend', async (ctx) => {
    const payment = await guardedForm(ctx);
    await act(ctx, payment, 'code', () => sendCode(deps, { paymentId: payment.id, lang: view.langOf(ctx, payment) }));
  });

  router.post('/pay/:id/cancel', async (ctx) => {
    const payment = await guardedForm(ctx);
    await act(ctx, payment, 'code', () => cancelPayment(deps, { paymentId: payment.id }));
  });

  /** A pay link: the payment is bound to the phone it was sent to; opening it sends the code once. */
  router.get('/l/:token', async (ctx) => {
    const token = ctx.params.token ?? '';
    const payment = LINK.test(token) ? await findPaymentByLinkToken(deps.db, token) : undefined;
    if (!payment || !isOpen(payment.status) || payment.expiresAt <= deps.clock.now()) return view.linkExpired(ctx);
    if (!(await ownedBy(ctx, payment))) return view.busy(ctx, payment.lang);
    if (payment.status === 'created' && !(await currentCode(deps.db, payment.id))) {
      return act(ctx, payment, 'phone', () => sendCode(deps, { paymentId: payment.id, lang: view.langOf(ctx, payment) }));
    }
    ctx.status = 303;
    ctx.redirect(`/pay/${payment.id}`);
  });

  return router;
}
