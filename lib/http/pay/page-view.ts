import type { Eta } from 'eta';
import type { AppContext } from '../shared/context.js';
import type { PayDeps } from '../../use-cases/shared/deps.js';
import { formatAmount, isolatedMoney } from '../../domain/money.js';
import { maskPhone, e164 } from '../../domain/phone.js';
import { outcomeOf, type Payment } from '../../domain/payment.js';
import type { AppError } from '../../domain/errors.js';
import { LANG_COOKIE, LANGS, LANG_NAMES, direction, isLang, isMessageKey, pickLang, translator, type Lang, type MessageKey, type Translate } from '../../i18n/index.js';
import { DAY_MS } from '../../domain/time.js';
import { plural } from '../../i18n/plurals.js';
import { redirectFields } from '../../notify/lmi-fields.js';
import { csrfToken } from './csrf.js';
import { currentCodeSecret } from '../../use-cases/payments/code-secrets.js';
import { readCheckoutPage } from '../../use-cases/payments/read-checkout.js';
import { resendCooldownLeft } from '../../domain/code-policy.js';
import type { PaymentCode } from '../../domain/code.js';
import type { Shop } from '../../domain/shop.js';
import { readReceiptOfPayment, type ReceiptView } from '../../use-cases/payments/read-receipt.js';
import { receiptCard } from './receipt-view.js';
import { relyingPartyOf } from '../../domain/passkey.js';
import { PASSKEY_SCRIPTS } from '../shared/passkey-page.js';
import { brandView, isolatePhones } from './brand-view.js';

export const passkeysOn = (deps: Pick<PayDeps, 'config'>) => relyingPartyOf(deps.config.publicUrl) !== undefined;

export type PageState = { step?: 'phone' | 'code'; error?: string; triesLeft?: number; phoneValue?: string; status?: number };


function originOf(url: string | null): string[] {
  try {
    return url ? [new URL(url).origin] : [];
  } catch {
    return [];
  }
}

/** The switcher (?lang=, remembered in a cookie) wins, then LMI_LANG, then Accept-Language, then the shop's language. */
export function langOf(ctx: AppContext, paymentLang?: string | null, shopLang?: string): Lang {
  const chosen = isLang(ctx.query.lang) ? ctx.query.lang : undefined;
  if (chosen) ctx.cookies.set(LANG_COOKIE, chosen, { httpOnly: true, sameSite: 'lax', maxAge: 365 * DAY_MS, overwrite: true });
  return pickLang([chosen, ctx.cookies.get(LANG_COOKIE), paymentLang], ctx.get('Accept-Language'), shopLang);
}

export function page(views: Eta, ctx: AppContext, template: string, data: Record<string, unknown>, status = 200) {
  ctx.status = status;
  ctx.type = 'text/html; charset=utf-8';
  ctx.set('Cache-Control', 'no-store');
  ctx.body = views.render(template, data);
}

/** Links to the page itself in each language: after a POST the address is an action (`/pay/{id}/code`), never a page, so it is named. */
export function switcher(lang: Lang, pagePath: string) {
  return LANGS.map((code) => ({ code, name: LANG_NAMES[code], href: `${pagePath}?lang=${code}`, current: code === lang }));
}

/** Each step and each refusal has its own title, so a screen reader's first words say where the buyer is and what went wrong. */
function stepTitleOf(t: Translate, step: 'phone' | 'code', state: PageState, payTitle: string): string {
  const parts = [t(step === 'code' ? 'brand.step.code' : 'brand.step.phone'), payTitle];
  if (state.error) parts.unshift(t(state.triesLeft !== undefined ? 'brand.title.wrong_code' : 'brand.title.error'));
  return parts.join(' – ');
}

/** The step a payment is at (phone or code), in the buyer's language. */
function stepPage(deps: PayDeps, view: { payment: Payment; merchant: Shop; code?: PaymentCode }, ctx: AppContext, state: PageState) {
  const { payment, merchant } = view;
  const lang = langOf(ctx, payment.lang, merchant.lang);
  const t = translator(lang);
  const step = state.step ?? (payment.status === 'code_sent' ? 'code' : 'phone');
  const code = step === 'code' ? view.code : undefined;
  const now = deps.clock.now();
  const amount = formatAmount(payment.amount);
  ctx.state.formOrigins = [...originOf(payment.successUrl), ...originOf(payment.failUrl)];
  return {
    t, lang, dir: direction(lang), languages: switcher(lang, `/pay/${payment.id}`), step, error: state.error,
    triesLeft: state.triesLeft === undefined ? undefined : plural(lang, 'code.tries_left', state.triesLeft),
    title: stepTitleOf(t, step, state, t('page.title', { ...isolatedMoney(payment.amount, payment.currency), merchant: merchant.name })),
    stepTitle: t(step === 'code' ? 'brand.step.code' : 'brand.step.phone'),
    phoneHint: isolatePhones(t('phone.hint')),
    brand: brandView(deps.config, t, merchant, { cancelNote: true }),
    money: isolatedMoney(payment.amount, payment.currency),
    merchantName: merchant.name, amount, currency: payment.currency, description: payment.description,
    paymentId: payment.id, csrf: csrfToken(ctx, currentCodeSecret(deps.config).secret, payment.id),
    phoneValue: state.phoneValue ?? (payment.phone ? e164(payment.phone) : ''),
    phoneMasked: payment.phone ? maskPhone(payment.phone) : '',
    codeLength: deps.config.codes.length,
    codeExpiresAt: code?.expiresAt.toISOString().slice(11, 16),
    codeExpiresIn: code ? Math.max(0, Math.round((code.expiresAt.getTime() - now.getTime()) / 1000)) : 0,
    resendCooldown: code ? resendCooldownLeft(code.sentAt, now) : 0,
    // docs/buyer-guide.md#paying-with-a-passkey: offered on a domain name only; the button shows once the script finds WebAuthn
    passkey: passkeysOn(deps),
    scripts: ['/assets/libphonenumber-min.js', '/assets/pay.js', ...(passkeysOn(deps) ? PASSKEY_SCRIPTS : [])],
  };
}

/** Sends the buyer to the Success or Fail URL with the fields of docs/merchant-guide.md#success-and-fail, by GET, POST or LINK (or our own result page). */
function leavePage(deps: PayDeps, views: Eta, ctx: AppContext, payment: Payment, outcome: 'success' | 'fail', shop: Pick<Shop, 'id' | 'name' | 'lang' | 'brand'>, receipt?: ReceiptView): void {
  const url = outcome === 'success' ? payment.successUrl : payment.failUrl;
  const method = outcome === 'success' ? payment.successMethod : payment.failMethod;
  const lang = langOf(ctx, payment.lang, shop.lang);
  const t = translator(lang);
  const heading = t(outcome === 'success' ? 'result.success.title' : 'result.fail.title');
  // docs/buyer-guide.md#receipts: the Success page before the shop (and the LINK page) shows the receipt
  const card = outcome === 'success' && receipt ? receiptCard(t, receipt, { linkToPage: true }) : undefined;
  const brand = brandView(deps.config, t, shop);
  if (!url) {
    const text = outcome === 'success'
      ? t('result.success.text', { ...isolatedMoney(payment.amount, payment.currency), merchant: shop.name })
      : t('result.fail.text');
    return page(views, ctx, './result', { lang, dir: direction(lang), heading, text, card, brand });
  }
  const fields = redirectFields(payment);
  if (method === 'POST') {
    ctx.state.formOrigins = originOf(url);
    // without JavaScript the buyer reads the outcome here, before the button back to the shop
    return page(views, ctx, './redirect-post', { t, lang, dir: direction(lang), url, fields, heading, card, brand });
  }
  if (method === 'LINK' && card) return page(views, ctx, './result', { lang, dir: direction(lang), heading, card, brand, back: { href: url, text: t('receipt.back') } });
  const target = new URL(url);
  if (method === 'GET') for (const [name, value] of fields) target.searchParams.append(name, value);
  ctx.set('Cache-Control', 'no-store');
  ctx.status = 303;
  ctx.redirect(target.toString());
}

/** A page of text only (an expired link, an order another browser is paying), in the buyer's language. */
function notice(views: Eta, ctx: AppContext, paymentLang: string | null, keys: { title: MessageKey; text: MessageKey }, status: number): void {
  const lang = langOf(ctx, paymentLang);
  const t = translator(lang);
  page(views, ctx, './result', { lang, dir: direction(lang), heading: t(keys.title), text: t(keys.text) }, status);
}

/** Rendering of the hosted pages: the step a payment is at, in the buyer's language, or the way back to the shop. */
export function payPageView(deps: PayDeps, views: Eta) {
  const receiptOf = (payment: Payment, outcome: 'success' | 'fail') => (outcome === 'success' ? readReceiptOfPayment(deps, payment.id) : Promise.resolve(undefined));
  return {
    async render(ctx: AppContext, shown: Payment, state: PageState = {}): Promise<void> {
      const current = await readCheckoutPage(deps, shown);
      const outcome = outcomeOf(current.payment.status);
      if (outcome) return leavePage(deps, views, ctx, current.payment, outcome, current.merchant, await receiptOf(current.payment, outcome));
      page(views, ctx, './pay', stepPage(deps, current, ctx, state), state.status);
    },
    async leave(ctx: AppContext, payment: Payment, outcome: 'success' | 'fail'): Promise<void> {
      leavePage(deps, views, ctx, payment, outcome, (await readCheckoutPage(deps, payment)).merchant, await receiptOf(payment, outcome));
    },
    linkExpired: (ctx: AppContext) => notice(views, ctx, null, { title: 'link.expired.title', text: 'link.expired.text' }, 410),
    /** Another browser started paying this order: no phone, no forms, nothing to act on. */
    busy: (ctx: AppContext, paymentLang: string | null) => notice(views, ctx, paymentLang, { title: 'busy.title', text: 'busy.text' }, 409),
    langOf: (ctx: AppContext, payment?: Payment) => langOf(ctx, payment?.lang),
  };
}

/** A refusal in the buyer's language, when we have one for its code. */
export function localError(t: Translate, err: AppError): string {
  if (err.code === 'rate_limited' && typeof err.extra.retry_after === 'number') {
    const perAddress = typeof err.extra.limit === 'string' && ['form_payments', 'page_codes', 'page_wrong_codes'].includes(err.extra.limit);
    return t(perAddress ? 'error.rate_limited_address' : 'error.rate_limited', { minutes: Math.max(1, Math.ceil(err.extra.retry_after / 60)) });
  }
  const key = `error.${err.code}`;
  return isMessageKey(key) ? t(key) : err.message;
}

export type PayPageView = ReturnType<typeof payPageView>;
