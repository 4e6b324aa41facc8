import type Router from '@koa/router';
import type { AppContext, AppState } from '../shared/context.js';
import type { PayDeps } from '../../use-cases/shared/deps.js';
import { consoleRedeliver } from '../../use-cases/console/notifications.js';
import { listUndeliveredNotifications } from '../../use-cases/console/list-undelivered.js';
import { parseInput } from '../../schemas/parse.js';
import { notificationsPageQuery } from '../../schemas/console-money.js';
import { notificationIdParam } from '../../schemas/payments.js';
import { AppError } from '../../domain/errors.js';
import { confirmThenAct } from '../shared/confirm-then-act.js';
import { actorOnce, allow, shownBesideForm } from './guard.js';
import type { ConsoleView } from './view.js';

function notificationsPage(deps: PayDeps, view: ConsoleView) {
  return async (ctx: AppContext, extra: { problem?: string; flash?: string } = {}, status = 200) => {
    allow(ctx, 'read');
    const q = parseInput(notificationsPageQuery, ctx.query, 'query');
    const page = await listUndeliveredNotifications(deps, { status: q.status, cursor: q.cursor, limit: 50 });
    view(ctx, './console-notifications', { page, status: q.status, ...extra }, status);
  };
}

/** docs/operator-guide.md#operator-console: the dead (or pending) notifications of every merchant, each with its redelivery. */
export function notificationRoutes(router: Router<AppState>, deps: PayDeps, view: ConsoleView) {
  const page = notificationsPage(deps, view);
  router.get('/notifications', (ctx) => page(ctx, { flash: ctx.query.done === 'redeliver' ? ctx.state.console?.t('office.done.redeliver') : undefined }));
  router.post('/notifications/:id/redeliver', async (ctx) => {
    const state = allow(ctx, 'redeliver');
    const id = notificationIdParam.safeParse(ctx.params.id);
    if (!id.success) throw new AppError('notification_not_found', 'No such notification');
    await confirmThenAct(ctx, view, {
      question: state.t('office.confirm.redeliver', { id: id.data }), back: '/console/notifications', done: '/console/notifications?done=redeliver',
      act: (done) => consoleRedeliver(deps, actorOnce(ctx, done), id.data),
      t: state.t, shownBesideForm, formPage: page,
    });
  });
}
