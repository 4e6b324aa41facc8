import type Router from '@koa/router';
import type { AppContext, AppState } from '../shared/context.js';
import type { PayDeps } from '../../use-cases/shared/deps.js';
import { payWithPasskey, startPasskeyPayment } from '../../use-cases/payments/pay-with-passkey.js';
import { assertUnder, consume, giveBack } from '../../use-cases/limits/rate-limit.js';
import { isAppError } from '../../domain/errors.js';
import type { PaymentId } from '../../domain/ids.js';
import { clientOf } from '../shared/client-address.js';
import type { Checkout } from './checkout.js';
import { parseAnswer } from '../shared/passkey-page.js';

/** The hosted page's "Pay with a passkey" (docs/buyer-guide.md#paying-with-a-passkey): options for this payment, then the assertion. */
export function passkeyPayRoutes(router: Router<AppState>, deps: PayDeps, checkout: Checkout) {
  router.post('/pay/:id/passkey/options', async (ctx) => {
    ctx.state.errorFormat = 'json';
    const payment = await checkout.guardedForm(ctx);
    await assertUnder(deps, 'page_wrong_codes', clientOf(ctx));
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await startPasskeyPayment(deps, payment.id);
  });

  router.post('/pay/:id/passkey', async (ctx) => {
    const payment = await checkout.guardedForm(ctx);
    const raw = checkout.field(ctx, 'response') ?? '';
    await checkout.act(ctx, payment, 'phone', () => approveOnPage(deps, ctx, payment.id, raw));
  });
}

/** Counted as a wrong code before it is checked (docs/merchant-guide.md#abuse-limits), so parallel tries get no extra checks; given back unless the passkey was refused. */
async function approveOnPage(deps: PayDeps, ctx: AppContext, paymentId: PaymentId, raw: string) {
  const at = deps.clock.now();
  await consume(deps, 'page_wrong_codes', clientOf(ctx));
  try {
    const paid = await payWithPasskey(deps, { paymentId, response: parseAnswer(raw) });
    await giveBack(deps, 'page_wrong_codes', clientOf(ctx), at);
    return paid;
  } catch (err) {
    if (!isAppError(err) || err.code !== 'passkey_invalid') await giveBack(deps, 'page_wrong_codes', clientOf(ctx), at);
    throw err;
  }
}
