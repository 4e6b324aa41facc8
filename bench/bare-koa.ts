import Koa from 'koa';
import Router from '@koa/router';

// The baseline: one Koa route on the same Node, no database, no middleware.
const app = new Koa();
const router = new Router();
router.get('/ping', (ctx) => {
  ctx.body = { ok: true };
});
app.use(router.routes());
const server = app.listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('ready'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
