import Router from '@koa/router';
import type { AppContext, AppState } from '../shared/context.js';
import type { PayDeps } from '../../use-cases/deps.js';
import { requireApiKey, merchantOf } from './auth.js';
import { idempotency } from './idempotency.js';
import { parseInput } from '../../schemas/parse.js';
import { attemptsQuery, captureBody, confirmBody, createPaymentBody, emptyBody, idParam, listPaymentsQuery, phoneBody, refundBody, testSmsQuery } from '../../schemas/payments.js';
import { purseParam } from '../../schemas/common.js';
import { createPayment } from '../../use-cases/create-payment.js';
import { sendCode } from '../../use-cases/send-code.js';
import { sendPayLink } from '../../use-cases/send-pay-link.js';
import { confirmPayment } from '../../use-cases/confirm-payment.js';
import { cancelPayment } from '../../use-cases/cancel-payment.js';
import { getPayment, listPayments } from '../../use-cases/list-payments.js';
import { readTestSms } from '../../use-cases/read-test-sms.js';
import { listAttemptsOfNotification, listNotificationsOfPayment, redeliverNotification } from '../../use-cases/list-notifications.js';
import { attemptJson, notificationJson } from '../../presenters/notification.js';
import { refundPayment } from '../../use-cases/refund-payment.js';
import { capturePayment } from '../../use-cases/capture-payment.js';
import { voidPayment } from '../../use-cases/void-payment.js';
import { listRefunds } from '../../store/refunds.js';
import { refundJson } from '../../presenters/refund.js';
import { listSmsOfPayment } from '../../store/sms-messages.js';
import { smsJson } from '../../presenters/sms.js';
import { findWallet } from '../../store/wallets.js';
import { AppError } from '../../domain/errors.js';
import { paymentJson } from '../../presenters/payment.js';
import { walletJson } from '../../presenters/wallet.js';
import type { PaymentRow } from '../../store/payments.js';

function paymentId(ctx: AppContext): string {
  const parsed = idParam.safeParse(ctx.params.id);
  if (!parsed.success) throw new AppError('payment_not_found', `No payment ${String(ctx.params.id).slice(0, 40)}`);
  return parsed.data;
}

/** The merchant JSON API of spec §6, under /api/v1. */
export function apiRoutes(deps: PayDeps) {
  const router = new Router<AppState>({ prefix: '/api/v1' });
  const show = (p: PaymentRow) => paymentJson(p, deps.config.publicUrl);
  router.use(requireApiKey(deps.db));
  router.use(idempotency(deps.db, deps.clock, deps.config.idempotencyTtlSeconds));

  router.post('/payments', async (ctx) => {
    const body = parseInput(createPaymentBody, ctx.request.body);
    const merchant = merchantOf(ctx);
    const { payment, resumed } = await createPayment(deps, {
      merchant,
      payeePurse: body.payee_purse,
      amount: body.amount,
      paymentNo: body.payment_no ?? null,
      description: body.description ?? '',
      source: 'api',
      createKey: ctx.state.idempotencyKey ?? null,
      resultUrl: body.result_url,
      successUrl: body.success_url,
      failUrl: body.fail_url,
      successMethod: body.success_method,
      failMethod: body.fail_method,
      captureMode: body.capture,
      customFields: [],
      metadata: body.metadata ?? {},
      simMode: null,
      lang: body.lang ?? null,
      phone: body.send === 'link' ? null : (body.phone ?? null),
    });
    let current = payment;
    if (body.phone && body.send === 'link' && current.status === 'created') {
      current = await sendPayLink(deps, { paymentId: payment.id, merchantId: merchant.id, phone: body.phone });
    }
    ctx.status = resumed ? 200 : 201;
    ctx.body = show(current);
  });

  router.get('/payments', async (ctx) => {
    const q = parseInput(listPaymentsQuery, ctx.query, 'query');
    const page = await listPayments(deps, {
      merchantId: merchantOf(ctx).id, status: q.status, phone: q.phone, paymentNo: q.payment_no,
      createdFrom: q.created_from, createdTo: q.created_to, limit: q.limit, cursor: q.cursor,
    });
    ctx.body = { data: page.data.map(show), has_more: page.hasMore, next_cursor: page.nextCursor };
  });

  router.get('/payments/:id', async (ctx) => {
    ctx.body = show(await getPayment(deps, merchantOf(ctx).id, paymentId(ctx)));
  });

  router.post('/payments/:id/phone', async (ctx) => {
    const { phone } = parseInput(phoneBody, ctx.request.body);
    const sent = await sendCode(deps, { paymentId: paymentId(ctx), merchant: merchantOf(ctx), phone });
    ctx.body = { ...show(sent.payment), code_expires_at: sent.codeExpiresAt.toISOString(), codes_left: sent.codesLeft };
  });

  router.post('/payments/:id/resend', async (ctx) => {
    parseInput(emptyBody, ctx.request.body);
    const sent = await sendCode(deps, { paymentId: paymentId(ctx), merchant: merchantOf(ctx) });
    ctx.body = { ...show(sent.payment), code_expires_at: sent.codeExpiresAt.toISOString(), codes_left: sent.codesLeft };
  });

  router.post('/payments/:id/confirm', async (ctx) => {
    const { code } = parseInput(confirmBody, ctx.request.body);
    ctx.body = show(await confirmPayment(deps, { paymentId: paymentId(ctx), merchant: merchantOf(ctx), code }));
  });

  router.post('/payments/:id/cancel', async (ctx) => {
    parseInput(emptyBody, ctx.request.body);
    ctx.body = show(await cancelPayment(deps, { paymentId: paymentId(ctx), merchantId: merchantOf(ctx).id }));
  });

  router.post('/payments/:id/capture', async (ctx) => {
    const { amount } = parseInput(captureBody, ctx.request.body);
    ctx.body = show(await capturePayment(deps, { paymentId: paymentId(ctx), merchantId: merchantOf(ctx).id, amount }));
  });

  router.post('/payments/:id/void', async (ctx) => {
    parseInput(emptyBody, ctx.request.body);
    ctx.body = show(await voidPayment(deps, { paymentId: paymentId(ctx), merchantId: merchantOf(ctx).id }));
  });

  router.post('/payments/:id/refunds', async (ctx) => {
    const body = parseInput(refundBody, ctx.request.body);
    const { refund, replayed } = await refundPayment(deps, {
      paymentId: paymentId(ctx), merchantId: merchantOf(ctx).id, amount: body.amount, phone: body.phone, createKey: ctx.state.idempotencyKey,
    });
    ctx.status = replayed ? 200 : 201;
    ctx.body = refundJson(refund);
  });

  router.get('/payments/:id/refunds', async (ctx) => {
    const payment = await getPayment(deps, merchantOf(ctx).id, paymentId(ctx));
    ctx.body = { data: (await listRefunds(deps.db, payment.id)).map(refundJson), has_more: false, next_cursor: null };
  });

  router.get('/payments/:id/messages', async (ctx) => {
    const payment = await getPayment(deps, merchantOf(ctx).id, paymentId(ctx));
    ctx.body = { data: (await listSmsOfPayment(deps.db, payment.id)).map((m) => smsJson(m)), has_more: false, next_cursor: null };
  });

  router.get('/payments/:id/notifications', async (ctx) => {
    const list = await listNotificationsOfPayment(deps, merchantOf(ctx).id, paymentId(ctx));
    ctx.body = { data: list.map(({ row, attempts }) => notificationJson(row, attempts)), has_more: false, next_cursor: null };
  });

  router.get('/notifications/:id/attempts', async (ctx) => {
    const q = parseInput(attemptsQuery, ctx.query, 'query');
    const page = await listAttemptsOfNotification(deps, merchantOf(ctx).id, String(ctx.params.id), q);
    ctx.body = { data: page.data.map(attemptJson), has_more: page.hasMore, next_cursor: page.nextCursor };
  });

  router.post('/notifications/:id/redeliver', async (ctx) => {
    parseInput(emptyBody, ctx.request.body);
    const queued = await redeliverNotification(deps, merchantOf(ctx).id, String(ctx.params.id));
    ctx.status = 202;
    ctx.body = notificationJson(queued, []);
  });

  router.get('/wallets/:purse', async (ctx) => {
    const purse = parseInput(purseParam, ctx.params.purse, 'purse');
    const wallet = await findWallet(deps.db, purse);
    if (!wallet || wallet.merchantId !== merchantOf(ctx).id) throw new AppError('wallet_not_found', `${purse} is not one of your wallets`);
    ctx.body = walletJson(wallet);
  });

  router.get('/test/sms', async (ctx) => {
    const merchant = merchantOf(ctx);
    if (merchant.mode !== 'test') throw new AppError('forbidden', 'Only test keys (tp_test_…) can read codes');
    const { phone } = parseInput(testSmsQuery, ctx.query, 'query');
    ctx.body = { data: await readTestSms(deps, merchant.id, phone) };
  });

  return router;
}
