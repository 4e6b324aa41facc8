import Router from '@koa/router';
import type { AppState } from './context.js';
import type { Db } from '../../store/db.js';
import { ping } from '../../store/db.js';
import type { HttpMetrics } from './metrics.js';
import { AppError } from '../../domain/errors.js';

export function healthRoutes(db: Db, metrics: HttpMetrics) {
  const router = new Router<AppState>();
  router.get('/health', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/ready', async (ctx) => {
    try {
      await ping(db);
    } catch {
      throw new AppError('not_ready', 'The database does not answer');
    }
    ctx.body = { status: 'ready' };
  });
  router.get('/metrics', async (ctx) => {
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.registry.metrics();
  });
  return router;
}
