import Router from '@koa/router';
import type { AppState } from './context.js';
import type { Deps } from '../../use-cases/shared/deps.js';
import { databaseAnswers } from '../../use-cases/operators/read.js';
import type { HttpMetrics } from './metrics.js';
import { AppError } from '../../domain/errors.js';
import { secretsEqual } from '../../domain/secrets.js';

export function healthRoutes(deps: Pick<Deps, 'db'>, metrics: HttpMetrics, metricsToken: string | null) {
  const router = new Router<AppState>();
  router.get('/health', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/ready', async (ctx) => {
    if (!(await databaseAnswers(deps))) throw new AppError('not_ready', 'The database does not answer');
    ctx.body = { status: 'ready' };
  });
  router.get('/metrics', async (ctx) => {
    // with METRICS_TOKEN the business figures are for the monitoring system only
    const presented = /^Bearer (.+)$/.exec(ctx.get('Authorization'))?.[1];
    if (metricsToken && !(presented && secretsEqual(presented, metricsToken))) {
      ctx.set('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new AppError('unauthorized', 'Send METRICS_TOKEN as Authorization: Bearer <token>');
    }
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.registry.metrics();
  });
  return router;
}
