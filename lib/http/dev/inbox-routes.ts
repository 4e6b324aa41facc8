import Router from '@koa/router';
import type { Eta } from 'eta';
import type { AppState } from '../shared/context.js';
import type { LogGateway } from '../../sms/log-gateway.js';
import type { Mailer } from '../../notify/mailer.js';

/** /dev/sms and /dev/mail: the dev inboxes of the log gateway and of the mailer without SMTP. Mounted only outside production. */
export function devRoutes(views: Eta, inbox: LogGateway, mailer: Mailer) {
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
  router.get('/dev/mail', (ctx) => {
    ctx.state.errorFormat = 'html';
    ctx.set('Cache-Control', 'no-store');
    const mails = mailer.inbox();
    if (ctx.accepts('html', 'json') === 'json') {
      ctx.body = { data: mails };
      return;
    }
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = views.render('./dev-mail', { mails, smtp: mailer.name === 'smtp' });
  });
  return router;
}
