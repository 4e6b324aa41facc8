import Router from '@koa/router';
import type { Eta } from 'eta';
import type { AppState } from '../shared/context.js';
import type { LogGateway } from '../../sms/log-gateway.js';

/** /dev/sms: the dev inbox of the log gateway. Mounted only outside production. */
export function devRoutes(views: Eta, inbox: LogGateway) {
  const router = new Router<AppState>();
  router.get('/dev/sms', (ctx) => {
    ctx.state.errorFormat = 'html';
    ctx.set('Cache-Control', 'no-store');
    if (ctx.accepts('html', 'json') === 'json') {
      ctx.body = { data: inbox.inbox(typeof ctx.query.phone === 'string' ? ctx.query.phone : undefined) };
      return;
    }
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = views.render('./dev-sms', { messages: inbox.inbox() });
  });
  return router;
}
