import type Router from '@koa/router';
import type { AppState } from '../shared/context.js';
import { shopIdOf } from '../shared/path-ids.js';
import type { PayDeps } from '../../use-cases/shared/deps.js';
import { merchantOf, refuseTestKeyOfLive } from './auth.js';
import { parseInput } from '../../schemas/parse.js';
import { addShopWalletBody, alertLogQuery, createShopBody, updateShopBody } from '../../schemas/admin.js';
import { readAlertLog } from '../../use-cases/shops/list-alert-log.js';
import { alertLogJson } from '../../presenters/alert-log.js';
import { addShopWallet, createShop, listShops, readShop, rotateShopSecret, updateShop, type CreatedShop, type RotatedSecret, type ShopView } from '../../use-cases/shops/manage-shops.js';
import { answerNote } from '../shared/idempotency.js';
import { shopJson } from '../../presenters/shop.js';
import { AppError } from '../../domain/errors.js';

// only the operator sets a shop's fee; secrets change only by rotation
const NOT_YOURS = ['secret_key', 'webhook_secret', 'fee'];


/** The merchant's shops (docs/merchant-guide.md#shops-methods-and-keys): list, add, read, change settings, add a purse, rotate secrets (shown once). */
export function shopRoutes(router: Router<AppState>, deps: PayDeps) {
  router.get('/shops', async (ctx) => {
    const views = await listShops(deps, merchantOf(ctx).id);
    ctx.body = { data: views.map((v) => shopJson(v.shop, v.purses, merchantOf(ctx).mode)), has_more: false, next_cursor: null };
  });

  router.post('/shops', async (ctx) => {
    refuseTestKeyOfLive(ctx);
    const answer = (created: CreatedShop) => ({ ...shopJson(created.shop, created.purses, merchantOf(ctx).mode), secret_key: created.secretKey, webhook_secret: created.webhookSecret });
    const created = await createShop(deps, merchantOf(ctx).id, parseInput(createShopBody, ctx.request.body), answerNote(ctx, 201, answer));
    ctx.status = 201;
    ctx.body = answer(created);
  });

  router.get('/shops/:id', async (ctx) => {
    const view = await readShop(deps, shopIdOf(ctx), merchantOf(ctx).id);
    ctx.body = shopJson(view.shop, view.purses, merchantOf(ctx).mode);
  });

  router.patch('/shops/:id', async (ctx) => {
    refuseTestKeyOfLive(ctx);
    const raw = ctx.request.body;
    const forbidden = raw && typeof raw === 'object' ? NOT_YOURS.find((k) => k in raw) : undefined;
    if (forbidden) throw new AppError('forbidden', `${forbidden} cannot be changed here`, { errors: [{ field: forbidden, message: 'is not yours to change here' }] });
    const view = await updateShop(deps, shopIdOf(ctx), merchantOf(ctx).id, parseInput(updateShopBody, raw));
    ctx.body = shopJson(view.shop, view.purses, merchantOf(ctx).mode);
  });

  // docs/merchant-guide.md#alerts: confirmation links sent, refused or clicked, and alerts a limit dropped
  router.get('/shops/:id/alert_log', async (ctx) => {
    const q = parseInput(alertLogQuery, ctx.query, 'query');
    const page = await readAlertLog(deps, shopIdOf(ctx), merchantOf(ctx).id, q);
    ctx.body = { data: page.data.map(alertLogJson), has_more: page.hasMore, next_cursor: page.nextCursor };
  });

  router.post('/shops/:id/wallets', async (ctx) => {
    refuseTestKeyOfLive(ctx);
    const { currency } = parseInput(addShopWalletBody, ctx.request.body);
    const answer = (view: ShopView) => shopJson(view.shop, view.purses, merchantOf(ctx).mode);
    const view = await addShopWallet(deps, shopIdOf(ctx), merchantOf(ctx).id, currency, answerNote(ctx, 201, answer));
    ctx.status = 201;
    ctx.body = answer(view);
  });

  for (const which of ['secret_key', 'webhook_secret'] as const) {
    router.post(`/shops/:id/${which}`, async (ctx) => {
      refuseTestKeyOfLive(ctx);
      const answer = ({ view, secret }: RotatedSecret) => ({ ...shopJson(view.shop, view.purses, merchantOf(ctx).mode), [which]: secret });
      ctx.body = answer(await rotateShopSecret(deps, shopIdOf(ctx), merchantOf(ctx).id, which, answerNote(ctx, 200, answer)));
    });
  }
}
