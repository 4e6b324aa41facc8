import Router from '@koa/router';
import type { Eta } from 'eta';
import type { AppContext, AppState } from './context.js';
import type { PayDeps } from '../use-cases/deps.js';
import { findPayment, type PaymentRow } from '../store/payments.js';
import { findMerchant } from '../store/merchants.js';
import { currentCode } from '../store/codes.js';
import { createPayment } from '../use-cases/create-payment.js';
import { sendCode } from '../use-cases/send-code.js';
import { confirmPayment } from '../use-cases/confirm-payment.js';
import { cancelPayment } from '../use-cases/cancel-payment.js';
import { AppError, isAppError, invalidRequest } from '../domain/errors.js';
import { formatAmount } from '../domain/money.js';
import { maskPhone, parsePhone } from '../domain/phone.js';
import { outcomeOf, isPastDeadline } from '../domain/payment.js';
import { findMerchantByPurse } from '../store/merchants.js';
import { parseLmiForm, checkFormSignature } from './lmi-form.js';
import { csrfToken, checkCsrf } from './csrf.js';
import { pickLang, translator, direction, type Lang } from '../i18n/index.js';
import { redirectFields } from '../notify/lmi-fields.js';
import { expirePaymentNow } from '../use-cases/expire-payment-now.js';

const ID = /^pay_[0-9a-z]{24}$/;

type PageState = { step?: 'phone' | 'code'; error?: string; triesLeft?: number; phoneValue?: string; status?: number };

/** The hosted pages of spec §2 and §5: server-rendered forms that work without JavaScript. */
export function payPages(deps: PayDeps, views: Eta) {
  const router = new Router<AppState>();
  const serverKey = deps.config.codeSecret!;
  router.use(async (ctx, next) => {
    ctx.state.errorFormat = 'html';
    await next();
  });

  function langOf(ctx: AppContext, payment?: PaymentRow): Lang {
    return pickLang([ctx.query.lang as string | undefined, payment?.lang], ctx.get('Accept-Language'));
  }

  async function load(ctx: AppContext): Promise<PaymentRow> {
    const id = ctx.params.id ?? '';
    const payment = ID.test(id) ? await findPayment(deps.db, id) : undefined;
    if (!payment) throw new AppError('payment_not_found', 'This payment does not exist. Go back to the shop and start again.');
    return payment;
  }

  function formField(ctx: AppContext, name: string): string | null {
    return typeof ctx.request.body === 'string' ? new URLSearchParams(ctx.request.body).get(name) : null;
  }

  async function render(ctx: AppContext, payment: PaymentRow, state: PageState = {}): Promise<void> {
    if (isPastDeadline(payment, deps.clock.now())) payment = await expirePaymentNow(deps, payment.id);
    const outcome = outcomeOf(payment.status);
    if (outcome) return leave(ctx, payment, outcome);
    const merchant = (await findMerchant(deps.db, payment.merchantId))!;
    const lang = langOf(ctx, payment);
    const t = translator(lang);
    const step = state.step ?? (payment.status === 'code_sent' ? 'code' : 'phone');
    const code = step === 'code' ? await currentCode(deps.db, payment.id) : undefined;
    const amount = formatAmount(payment.amount);
    ctx.status = state.status ?? 200;
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = views.render('./pay', {
      t, lang, dir: direction(lang), step, error: state.error, triesLeft: state.triesLeft,
      title: t('page.title', { amount, currency: payment.currency, merchant: merchant.name }),
      merchantName: merchant.name, amount, currency: payment.currency, description: payment.description,
      paymentId: payment.id, csrf: csrfToken(ctx, serverKey, payment.id),
      phoneValue: state.phoneValue ?? (payment.phone ? `+${payment.phone}` : ''),
      phoneMasked: payment.phone ? maskPhone(payment.phone) : '',
      codeLength: deps.config.codes.length,
      codeExpiresAt: code?.expiresAt.toISOString().slice(11, 16), codeExpiresAtIso: code?.expiresAt.toISOString(),
      scripts: [],
    });
  }

  /** Sends the buyer to the Success or Fail URL with the fields of spec §5, by GET, POST or LINK. */
  async function leave(ctx: AppContext, payment: PaymentRow, outcome: 'success' | 'fail'): Promise<void> {
    const url = outcome === 'success' ? payment.successUrl : payment.failUrl;
    const method = outcome === 'success' ? payment.successMethod : payment.failMethod;
    const lang = langOf(ctx, payment);
    const t = translator(lang);
    ctx.set('Cache-Control', 'no-store');
    if (!url) {
      const merchant = (await findMerchant(deps.db, payment.merchantId))!;
      ctx.type = 'text/html; charset=utf-8';
      ctx.body = views.render('./result', {
        lang, dir: direction(lang),
        heading: t(outcome === 'success' ? 'result.success.title' : 'result.fail.title'),
        text: outcome === 'success'
          ? t('result.success.text', { amount: formatAmount(payment.amount), currency: payment.currency, merchant: merchant.name })
          : t('result.fail.text'),
      });
      return;
    }
    const fields = redirectFields(payment);
    if (method === 'POST') {
      ctx.type = 'text/html; charset=utf-8';
      ctx.body = views.render('./redirect-post', { t, lang, dir: direction(lang), url, fields });
      return;
    }
    const target = new URL(url);
    if (method === 'GET') for (const [name, value] of fields) target.searchParams.append(name, value);
    ctx.status = 303;
    ctx.redirect(target.toString());
  }

  /** Runs a buyer action; a refusal the buyer can fix re-shows the form with the reason. */
  async function act(ctx: AppContext, payment: PaymentRow, step: 'phone' | 'code', work: () => Promise<unknown>, phoneValue?: string) {
    try {
      await work();
    } catch (err) {
      if (!isAppError(err) || (err.status >= 500 && err.code !== 'sms_send_failed')) throw err;
      const fresh = (await findPayment(deps.db, payment.id))!;
      if (outcomeOf(fresh.status)) return leave(ctx, fresh, outcomeOf(fresh.status)!);
      const triesLeft = typeof err.extra.tries_left === 'number' ? err.extra.tries_left : undefined;
      for (const [name, value] of Object.entries(err.headers)) ctx.set(name, value);
      return render(ctx, fresh, { step, error: err.message, triesLeft, phoneValue, status: err.status });
    }
    ctx.status = 303;
    ctx.redirect(`/pay/${payment.id}`);
  }

  router.post('/lmi/payment', async (ctx) => {
    const form = parseLmiForm(ctx.request.body);
    const merchant = await findMerchantByPurse(deps.db, form.payeePurse);
    if (!merchant) throw invalidRequest('LMI_PAYEE_PURSE is not the wallet of any shop', [{ field: 'LMI_PAYEE_PURSE', message: 'unknown purse' }]);
    checkFormSignature(form, merchant);
    const { payment } = await createPayment(deps, {
      merchant, payeePurse: form.payeePurse, amount: form.amount, paymentNo: form.paymentNo, description: form.description,
      source: 'form', createKey: null, resultUrl: form.resultUrl, successUrl: form.successUrl, failUrl: form.failUrl,
      successMethod: form.successMethod, failMethod: form.failMethod, customFields: form.customFields, metadata: {},
      simMode: form.simMode, lang: form.lang, phone: null,
    });
    ctx.status = 303;
    ctx.redirect(`/pay/${payment.id}`);
  });

  router.get('/pay/:id', async (ctx) => {
    const payment = await load(ctx);
    await render(ctx, payment, { step: ctx.query.step === 'phone' && payment.status === 'code_sent' ? 'phone' : undefined });
  });

  router.post('/pay/:id/phone', async (ctx) => {
    const payment = await load(ctx);
    checkCsrf(ctx, serverKey, payment.id, formField(ctx, 'csrf'));
    const typed = formField(ctx, 'phone') ?? '';
    const parsed = parsePhone(typed);
    if (!parsed.ok) return render(ctx, payment, { step: 'phone', error: parsed.reason, phoneValue: typed, status: 400 });
    await act(ctx, payment, 'phone', () => sendCode(deps, { paymentId: payment.id, phone: parsed.phone }), typed);
  });

  router.post('/pay/:id/code', async (ctx) => {
    const payment = await load(ctx);
    checkCsrf(ctx, serverKey, payment.id, formField(ctx, 'csrf'));
    const code = (formField(ctx, 'code') ?? '').replace(/\s/g, '');
    await act(ctx, payment, 'code', () => confirmPayment(deps, { paymentId: payment.id, code }));
  });

  router.post('/pay/:id/resend', async (ctx) => {
    const payment = await load(ctx);
    checkCsrf(ctx, serverKey, payment.id, formField(ctx, 'csrf'));
    await act(ctx, payment, 'code', () => sendCode(deps, { paymentId: payment.id }));
  });

  router.post('/pay/:id/cancel', async (ctx) => {
    const payment = await load(ctx);
    checkCsrf(ctx, serverKey, payment.id, formField(ctx, 'csrf'));
    await act(ctx, payment, 'code', () => cancelPayment(deps, { paymentId: payment.id }));
  });

  return router;
}
