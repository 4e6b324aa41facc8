import type { AppContext } from '../shared/context.js';
import type { PayDeps } from '../../use-cases/shared/deps.js';
import { findCheckout } from '../../use-cases/payments/read-checkout.js';
import { claimCheckout } from '../../use-cases/payments/claim-checkout.js';
import { AppError, isAppError, invalidRequest } from '../../domain/errors.js';
import { isPaymentId } from '../../domain/ids.js';
import { outcomeOf, type Payment } from '../../domain/payment.js';
import { translator } from '../../i18n/index.js';
import { parseFormBody } from '../../schemas/form-body.js';
import { checkCsrf } from './csrf.js';
import { acceptedCodeSecrets } from '../../use-cases/payments/code-secrets.js';
import { browserHash } from './browser-id.js';
import { localError, type PayPageView } from './page-view.js';

export type Step = 'phone' | 'code';

/** What every hosted-page route needs: the payment of the path, whose browser it is, the posted fields, and a way to act. */
export type Checkout = ReturnType<typeof checkoutHelpers>;

export function checkoutHelpers(deps: PayDeps, view: PayPageView) {
  const serverKeys = acceptedCodeSecrets(deps.config);

  async function load(ctx: AppContext): Promise<Payment> {
    const id = ctx.params.id ?? '';
    const payment = isPaymentId(id) ? await findCheckout(deps, id) : undefined;
    if (!payment) throw new AppError('payment_not_found', translator(view.langOf(ctx))('error.payment_not_found'));
    return payment;
  }

  /** The page's steps belong to the browser that took the first one; any other browser learns only that the order is being paid. */
  const ownedBy = (ctx: AppContext, payment: Payment) => claimCheckout(deps, payment, browserHash(ctx));

  function field(ctx: AppContext, name: string): string | null {
    if (typeof ctx.request.body !== 'string') return null;
    const form = parseFormBody(ctx.request.body);
    if (!form.ok) throw invalidRequest(`${form.field} ${form.message}`, [{ field: form.field, message: form.message }]);
    return form.pairs.find(([n]) => n === name)?.[1] ?? null;
  }

  /** A POST of the page: the payment, owned by this browser, with a CSRF token made for this browser and payment. */
  async function guardedForm(ctx: AppContext): Promise<Payment> {
    const payment = await load(ctx);
    const t = translator(view.langOf(ctx, payment));
    if (!(await ownedBy(ctx, payment))) throw new AppError('forbidden', t('busy.text'));
    try {
      checkCsrf(ctx, serverKeys, payment.id, field(ctx, 'csrf'));
    } catch {
      throw new AppError('forbidden', t('error.forbidden'));
    }
    return payment;
  }

  /** Runs a buyer action; a refusal the buyer can fix re-shows the form with the reason, in the buyer's language. */
  async function act(ctx: AppContext, payment: Payment, step: Step, work: () => Promise<unknown>, phoneValue?: string) {
    try {
      await work();
    } catch (err) {
      if (!isAppError(err) || (err.status >= 500 && err.code !== 'sms_send_failed')) throw err;
      const fresh = (await findCheckout(deps, payment.id))!;
      const outcome = outcomeOf(fresh.status);
      if (outcome) return view.leave(ctx, fresh, outcome);
      for (const [name, value] of Object.entries(err.headers)) ctx.set(name, value);
      const triesLeft = typeof err.extra.tries_left === 'number' ? err.extra.tries_left : undefined;
      const error = localError(translator(view.langOf(ctx, fresh)), err);
      return view.render(ctx, fresh, { step: err.code === 'no_wallet' ? 'phone' : step, error, triesLeft, phoneValue, status: err.status });
    }
    ctx.status = 303;
    ctx.redirect(`/pay/${payment.id}`);
  }

  return { load, ownedBy, field, guardedForm, act };
}
