import type Router from '@koa/router';
import type { AppState } from '../shared/context.js';
import type { PayDeps } from '../../use-cases/shared/deps.js';
import { merchantOf } from './auth.js';
import { paymentPresenter } from './params.js';
import { paymentIdOf } from '../shared/path-ids.js';
import { parseInput } from '../../schemas/parse.js';
import { confirmBody, createPaymentBody, emptyBody, listPaymentsQuery, phoneBody } from '../../schemas/payments.js';
import { createApiPayment } from '../../use-cases/payments/create-api-payment.js';
import { sendCode } from '../../use-cases/payments/send-code.js';
import { confirmPayment } from '../../use-cases/payments/confirm-payment.js';
import { cancelPayment } from '../../use-cases/payments/cancel-payment.js';
import { getPayment, listPayments } from '../../use-cases/payments/list-payments.js';

/** Creating, reading and paying a payment: /payments, /phone, /resend, /confirm, /cancel. */
export function paymentRoutes(router: Router<AppState>, deps: PayDeps) {
  const show = paymentPresenter(deps);
  const withCode = (sent: Awaited<ReturnType<typeof sendCode>>) => ({ ...show(sent.payment), code_expires_at: sent.codeExpiresAt.toISOString(), codes_left: sent.codesLeft });

  router.post('/payments', async (ctx) => {
    const body = parseInput(createPaymentBody, ctx.request.body);
    const { payment, resumed } = await createApiPayment(deps, merchantOf(ctx), body, ctx.state.idempotencyKey ?? null, undefined, undefined, ctx.state.apiHit);
    ctx.state.paymentId = payment.id;
    ctx.status = resumed ? 200 : 201;
    ctx.body = show(payment);
  });

  router.get('/payments', async (ctx) => {
    const q = parseInput(listPaymentsQuery, ctx.query, 'query');
    const page = await listPayments(deps, {
      merchantId: merchantOf(ctx).id, mode: merchantOf(ctx).mode, shopId: q.shop_id, status: q.status, phone: q.phone, paymentNo: q.payment_no,
      createdFrom: q.created_from, createdTo: q.created_to, limit: q.limit, cursor: q.cursor,
    });
    ctx.body = { data: page.data.map(show), has_more: page.hasMore, next_cursor: page.nextCursor };
  });

  router.get('/payments/:id', async (ctx) => {
    ctx.body = show(await getPayment(deps, merchantOf(ctx).id, paymentIdOf(ctx), merchantOf(ctx).mode));
  });

  router.post('/payments/:id/phone', async (ctx) => {
    const { phone } = parseInput(phoneBody, ctx.request.body);
    ctx.body = withCode(await sendCode(deps, { paymentId: paymentIdOf(ctx), merchant: merchantOf(ctx), phone }));
  });

  router.post('/payments/:id/resend', async (ctx) => {
    parseInput(emptyBody, ctx.request.body);
    ctx.body = withCode(await sendCode(deps, { paymentId: paymentIdOf(ctx), merchant: merchantOf(ctx) }));
  });

  router.post('/payments/:id/confirm', async (ctx) => {
    const { code } = parseInput(confirmBody, ctx.request.body);
    ctx.body = show(await confirmPayment(deps, { paymentId: paymentIdOf(ctx), merchant: merchantOf(ctx), code, client: `key:${ctx.state.apiKeyId}`, hit: ctx.state.apiHit }));
  });

  router.post('/payments/:id/cancel', async (ctx) => {
    parseInput(emptyBody, ctx.request.body);
    ctx.body = show(await cancelPayment(deps, { paymentId: paymentIdOf(ctx), merchantId: merchantOf(ctx).id, mode: merchantOf(ctx).mode }));
  });
}
