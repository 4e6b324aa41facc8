import type { Eta } from 'eta';
import type { AppContext } from '../shared/context.js';
import type { PayDeps } from '../../use-cases/deps.js';
import type { PaymentRow } from '../../store/payments.js';
import { findMerchant } from '../../store/merchants.js';
import { currentCode } from '../../store/codes.js';
import { formatAmount } from '../../domain/money.js';
import { maskPhone } from '../../domain/phone.js';
import { outcomeOf, isPastDeadline } from '../../domain/payment.js';
import type { AppError } from '../../domain/errors.js';
import { LANGS, LANG_NAMES, direction, isLang, isMessageKey, pickLang, translator, type Lang, type Translate } from '../../i18n/index.js';
import { plural } from '../../i18n/plurals.js';
import { redirectFields } from '../../notify/lmi-fields.js';
import { csrfToken } from './csrf.js';
import { expirePaymentNow } from '../../use-cases/expire-payment-now.js';

export type PageState = { step?: 'phone' | 'code'; error?: string; triesLeft?: number; phoneValue?: string; status?: number };

const LANG_COOKIE = 'tp_lang';
const RESEND_COOLDOWN_SECONDS = 30;

/** Amount and currency as one left-to-right run (Unicode isolates), so "12.08 USD" stays in order inside Arabic text. */
function money(amount: string, currency: string) {
  return { amount: `\u2066${amount}`, currency: `${currency}\u2069` };
}

function originOf(url: string | null): string[] {
  try {
    return url ? [new URL(url).origin] : [];
  } catch {
    return [];
  }
}

/** Rendering of the hosted pages: the step a payment is at, in the buyer's language, or the way back to the shop. */
export function payPageView(deps: PayDeps, views: Eta) {
  const serverKey = deps.config.codeSecret!;

  /** The switcher (?lang=, remembered in a cookie) wins, then LMI_LANG, then Accept-Language. */
  function langOf(ctx: AppContext, payment?: PaymentRow): Lang {
    const chosen = isLang(ctx.query.lang) ? ctx.query.lang : undefined;
    if (chosen) ctx.cookies.set(LANG_COOKIE, chosen, { httpOnly: true, sameSite: 'lax', maxAge: 365 * 86_400_000, overwrite: true });
    return pickLang([chosen, ctx.cookies.get(LANG_COOKIE), payment?.lang], ctx.get('Accept-Language'));
  }

  function page(ctx: AppContext, template: string, data: Record<string, unknown>, status = 200) {
    ctx.status = status;
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = views.render(template, data);
  }

  /** Links to the page itself in each language: after a POST the address is an action (`/pay/{id}/code`), never a page, so it is named. */
  function switcher(lang: Lang, pagePath: string) {
    return LANGS.map((code) => ({ code, name: LANG_NAMES[code], href: `${pagePath}?lang=${code}`, current: code === lang }));
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
    const now = deps.clock.now().getTime();
    const amount = formatAmount(payment.amount);
    ctx.state.formOrigins = [...originOf(payment.successUrl), ...originOf(payment.failUrl)];
    page(ctx, './pay', {
      t, lang, dir: direction(lang), languages: switcher(lang, `/pay/${payment.id}`), step, error: state.error,
      triesLeft: state.triesLeft === undefined ? undefined : plural(lang, 'code.tries_left', state.triesLeft),
      title: t('page.title', { ...money(amount, payment.currency), merchant: merchant.name }),
      money: money(amount, payment.currency),
      merchantName: merchant.name, amount, currency: payment.currency, description: payment.description,
      paymentId: payment.id, csrf: csrfToken(ctx, serverKey, payment.id),
      phoneValue: state.phoneValue ?? (payment.phone ? `+${payment.phone}` : ''),
      phoneMasked: payment.phone ? maskPhone(payment.phone) : '',
      codeLength: deps.config.codes.length,
      codeExpiresAt: code?.expiresAt.toISOString().slice(11, 16),
      codeExpiresIn: code ? Math.max(0, Math.round((code.expiresAt.getTime() - now) / 1000)) : 0,
      resendCooldown: code ? Math.max(0, RESEND_COOLDOWN_SECONDS - Math.round((now - code.sentAt.getTime()) / 1000)) : 0,
      scripts: ['/assets/libphonenumber-min.js', '/assets/pay.js'],
    }, state.status);
  }

  /** Sends the buyer to the Success or Fail URL with the fields of spec §5, by GET, POST or LINK. */
  async function leave(ctx: AppContext, payment: PaymentRow, outcome: 'success' | 'fail'): Promise<void> {
    const url = outcome === 'success' ? payment.successUrl : payment.failUrl;
    const method = outcome === 'success' ? payment.successMethod : payment.failMethod;
    const lang = langOf(ctx, payment);
    const t = translator(lang);
    if (!url) {
      const merchant = (await findMerchant(deps.db, payment.merchantId))!;
      return page(ctx, './result', {
        lang, dir: direction(lang),
        heading: t(outcome === 'success' ? 'result.success.title' : 'result.fail.title'),
        text: outcome === 'success'
          ? t('result.success.text', { ...money(formatAmount(payment.amount), payment.currency), merchant: merchant.name })
          : t('result.fail.text'),
      });
    }
    const fields = redirectFields(payment);
    if (method === 'POST') {
      ctx.state.formOrigins = originOf(url);
      // without JavaScript the buyer reads the outcome here, before the button back to the shop
      const heading = t(outcome === 'success' ? 'result.success.title' : 'result.fail.title');
      return page(ctx, './redirect-post', { t, lang, dir: direction(lang), url, fields, heading });
    }
    const target = new URL(url);
    if (method === 'GET') for (const [name, value] of fields) target.searchParams.append(name, value);
    ctx.set('Cache-Control', 'no-store');
    ctx.status = 303;
    ctx.redirect(target.toString());
  }

  function linkExpired(ctx: AppContext): void {
    const lang = langOf(ctx);
    const t = translator(lang);
    page(ctx, './result', { lang, dir: direction(lang), heading: t('link.expired.title'), text: t('link.expired.text') }, 410);
  }

  /** Another browser started paying this order: no phone, no forms, nothing to act on. */
  function busy(ctx: AppContext, paymentLang: string | null): void {
    const lang = pickLang([isLang(ctx.query.lang) ? ctx.query.lang : undefined, ctx.cookies.get(LANG_COOKIE), paymentLang], ctx.get('Accept-Language'));
    const t = translator(lang);
    page(ctx, './result', { lang, dir: direction(lang), heading: t('busy.title'), text: t('busy.text') }, 409);
  }

  return { render, leave, linkExpired, busy, langOf };
}

/** A refusal in the buyer's language, when we have one for its code. */
export function localError(t: Translate, err: AppError): string {
  if (err.code === 'rate_limited' && typeof err.extra.retry_after === 'number') {
    return t('error.rate_limited', { minutes: Math.max(1, Math.ceil(err.extra.retry_after / 60)) });
  }
  const key = `error.${err.code}`;
  return isMessageKey(key) ? t(key) : err.message;
}
