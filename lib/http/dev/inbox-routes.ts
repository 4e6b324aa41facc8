import Router from '@koa/router';
import type { Eta } from 'eta';
import type { AppState } from '../shared/context.js';
import type { PayDeps } from '../../use-cases/shared/deps.js';
import { readDevMail, readDevSms } from '../../use-cases/messages/dev-inbox.js';

/** /dev/sms and /dev/mail: the dev inboxes of the log gateway and of the mailer without SMTP, read from the database. Mounted only outside production. */
export function devRoutes(views: Eta, deps: Pick<PayDeps, 'db' | 'mailer'>) {
  const router = new Router<AppState>();
  router.get('/dev/sms', async (ctx) => {
    ctx.state.errorFormat = 'html';
    ctx.set('Cache-Control', 'no-store');
    if (ctx.accepts('html', 'json') === 'json') {
      ctx.body = { data: await readDevSms(deps, typeof ctx.query.phone === 'string' ? ctx.query.phone : undefined) };
      return;
    }
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = views.render('./dev-sms', { messages: await readDevSms(deps) });
  });
  router.get('/dev/mail', async (ctx) => {
    ctx.state.errorFormat = 'html';
    ctx.set('Cache-Control', 'no-store');
    const mails = await readDevMail(deps);
    if (ctx.accepts('html', 'json') === 'json') {
      ctx.body = { data: mails };
      return;
    }
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = views.render('./dev-mail', { mails, smtp: deps.mailer.name === 'smtp' });
  });
  return router;
}
