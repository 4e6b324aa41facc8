import type Router from '@koa/router';
import type { AppState } from '../shared/context.js';
import type { PayDeps } from '../../use-cases/shared/deps.js';
import { merchantOf } from './auth.js';
import { paymentPresenter } from './params.js';
import { paymentIdOf } from '../shared/path-ids.js';
import { parseInput } from '../../schemas/parse.js';
import { captureBody, emptyBody, refundBody } from '../../schemas/payments.js';
import { capturePayment } from '../../use-cases/payments/capture-payment.js';
import { voidPayment } from '../../use-cases/payments/void-payment.js';
import { refundPayment } from '../../use-cases/payments/refund-payment.js';
import { listRefundsOfPayment } from '../../use-cases/payments/list-refunds.js';
import { listMessagesOfPayment } from '../../use-cases/messages/list-messages.js';
import { refundJson } from '../../presenters/refund.js';
import { smsJson } from '../../presenters/sms.js';

/** What a merchant does with a payment after it: capture, void, refunds, and the SMS it sent. */
export function paymentActionRoutes(router: Router<AppState>, deps: PayDeps) {
  const show = paymentPresenter(deps);

  router.post('/payments/:id/capture', async (ctx) => {
    const { amount } = parseInput(captureBody, ctx.request.body);
    ctx.body = show(await capturePayment(deps, { paymentId: paymentIdOf(ctx), merchantId: merchantOf(ctx).id, mode: merchantOf(ctx).mode, amount }));
  });

  router.post('/payments/:id/void', async (ctx) => {
    parseInput(emptyBody, ctx.request.body);
    ctx.body = show(await voidPayment(deps, { paymentId: paymentIdOf(ctx), merchantId: merchantOf(ctx).id, mode: merchantOf(ctx).mode }));
  });

  router.post('/payments/:id/refunds', async (ctx) => {
    const body = parseInput(refundBody, ctx.request.body);
    const { refund, replayed } = await refundPayment(deps, {
      paymentId: paymentIdOf(ctx), merchantId: merchantOf(ctx).id, mode: merchantOf(ctx).mode, amount: body.amount, phone: body.phone, createKey: ctx.state.idempotencyKey,
    });
    ctx.status = replayed ? 200 : 201;
    ctx.body = refundJson(refund);
  });

  router.get('/payments/:id/refunds', async (ctx) => {
    const refunds = await listRefundsOfPayment(deps, paymentIdOf(ctx), merchantOf(ctx).id, merchantOf(ctx).mode);
    ctx.body = { data: refunds.map(refundJson), has_more: false, next_cursor: null };
  });

  router.get('/payments/:id/messages', async (ctx) => {
    const messages = await listMessagesOfPayment(deps, paymentIdOf(ctx), merchantOf(ctx).id, merchantOf(ctx).mode);
    ctx.body = { data: messages.map((m) => smsJson(m)), has_more: false, next_cursor: null };
  });
}
