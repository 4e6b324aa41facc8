import type Router from '@koa/router';
import type { AppState } from '../shared/context.js';
import type { PayDeps } from '../../use-cases/shared/deps.js';
import { merchantOf } from './auth.js';
import { notificationIdOf } from './params.js';
import { paymentIdOf } from '../shared/path-ids.js';
import { parseInput } from '../../schemas/parse.js';
import { attemptsQuery, emptyBody } from '../../schemas/payments.js';
import { listAttemptsOfNotification, listNotificationsOfPayment, redeliverNotification } from '../../use-cases/payments/list-notifications.js';
import { attemptJson, notificationJson } from '../../presenters/notification.js';

/** Result notifications, webhooks and pre-requests: the list of a payment, every attempt, and redelivery. */
export function notificationRoutes(router: Router<AppState>, deps: PayDeps) {
  router.get('/payments/:id/notifications', async (ctx) => {
    const list = await listNotificationsOfPayment(deps, merchantOf(ctx).id, paymentIdOf(ctx), merchantOf(ctx).mode);
    ctx.body = { data: list.map(({ row, attempts }) => notificationJson(row, attempts)), has_more: false, next_cursor: null };
  });

  router.get('/notifications/:id/attempts', async (ctx) => {
    const q = parseInput(attemptsQuery, ctx.query, 'query');
    const page = await listAttemptsOfNotification(deps, merchantOf(ctx).id, notificationIdOf(ctx), q, merchantOf(ctx).mode);
    ctx.body = { data: page.data.map(attemptJson), has_more: page.hasMore, next_cursor: page.nextCursor };
  });

  router.post('/notifications/:id/redeliver', async (ctx) => {
    parseInput(emptyBody, ctx.request.body);
    const queued = await redeliverNotification(deps, merchantOf(ctx).id, notificationIdOf(ctx), undefined, merchantOf(ctx).mode);
    ctx.status = 202;
    ctx.body = notificationJson(queued, []);
  });
}
