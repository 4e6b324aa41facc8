import Router from '@koa/router';
import { randomInt } from 'node:crypto';
import type { Eta } from 'eta';
import type { AppContext, AppState } from '../shared/context.js';
import type { Deps } from '../../use-cases/shared/deps.js';
import { readDemoShop } from '../../use-cases/shops/read-demo-shop.js';
import { lmiHash, lmiHash2, type HashedFields } from '../../domain/lmi.js';
import { secretsEqual } from '../../domain/secrets.js';
import { maskPhone } from '../../domain/phone.js';

type Received = { at: Date; fields: [string, string][]; hashOk: boolean; hash2Ok: boolean };

const HASHED: (keyof HashedFields)[] = ['LMI_PAYEE_PURSE', 'LMI_PAYMENT_AMOUNT', 'LMI_PAYMENT_NO', 'LMI_MODE', 'LMI_SYS_INVS_NO', 'LMI_SYS_TRANS_NO', 'LMI_SYS_TRANS_DATE', 'LMI_PAYER_PURSE', 'LMI_PAYER_WM'];

/**
 * A tiny shop that integrates telepurse the way a merchant would: a form to /lmi/payment, a
 * Result URL that checks LMI_HASH and LMI_HASH2 with its secret key, and Success/Fail pages.
 * It exists where the demo was seeded (the embedded `npm start`).
 */
export function demoRoutes(deps: Pick<Deps, 'db' | 'config'>, views: Eta) {
  const received: Received[] = [];
  const router = new Router<AppState>({ prefix: '/demo' });
  router.use(async (ctx, next) => {
    ctx.state.errorFormat = 'html';
    await next();
  });

  router.get('/', async (ctx) => {
    const shop = await readDemoShop(deps);
    if (!shop) return; // not seeded here: a plain 404
    const { purse } = shop;
    ctx.type = 'text/html; charset=utf-8';
    // a fresh order number per visit: two visits in one second must not share an order
    ctx.body = views.render('./demo', { purse, orderNo: randomInt(1, 2147483647), received: received.slice(0, 5), maskPhone });
  });

  router.post('/result', async (ctx) => {
    const shop = await readDemoShop(deps);
    const merchant = shop?.shop;
    const fields = [...new URLSearchParams(typeof ctx.request.body === 'string' ? ctx.request.body : '')];
    const get = (name: string) => fields.find(([n]) => n === name)?.[1] ?? '';
    if (get('LMI_PREREQUEST') === '1') {
      ctx.body = 'YES';
      return;
    }
    const hashed = Object.fromEntries(HASHED.map((name) => [name, get(name)])) as HashedFields;
    const secret = shop?.secretKey ?? '';
    received.unshift({
      at: new Date(),
      fields: fields.filter(([n]) => n !== 'LMI_HASH' && n !== 'LMI_HASH2'),
      hashOk: secretsEqual(get('LMI_HASH'), lmiHash(hashed, secret, merchant?.hashMethod ?? 'sha256')),
      hash2Ok: secretsEqual(get('LMI_HASH2'), lmiHash2(hashed, secret)),
    });
    received.length = Math.min(received.length, 20);
    ctx.body = 'OK';
  });

  const returned = (outcome: 'success' | 'fail') => async (ctx: AppContext) => {
    const source = ctx.method === 'POST' && typeof ctx.request.body === 'string' ? new URLSearchParams(ctx.request.body) : new URLSearchParams(ctx.querystring);
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = views.render('./demo-return', { outcome, fields: [...source], received: received.slice(0, 1), maskPhone });
  };
  router.get('/success', returned('success'));
  router.post('/success', returned('success'));
  router.get('/fail', returned('fail'));
  router.post('/fail', returned('fail'));
  return router;
}
