import Router from '@koa/router';
import type { AppState } from '../shared/context.js';
import type { PayDeps } from '../../use-cases/shared/deps.js';
import { idempotencyOwner, requireApiKey } from './auth.js';
import { idempotency } from '../shared/idempotency.js';
import { createdLocation } from '../shared/created-location.js';
import { paymentRoutes } from './payment-routes.js';
import { paymentActionRoutes } from './payment-action-routes.js';
import { notificationRoutes } from './notification-routes.js';
import { walletRoutes } from './wallet-routes.js';
import { keyRoutes } from './key-routes.js';
import { shopRoutes } from './shop-routes.js';
import { payoutRoutes } from './payout-routes.js';

/** The merchant JSON API of docs/merchant-guide.md#the-json-api, under /api/v1: authenticated, idempotent POSTs, then one router per noun. */
export function apiRoutes(deps: PayDeps) {
  const router = new Router<AppState>({ prefix: '/api/v1' });
  router.use(requireApiKey(deps));
  router.use(createdLocation('/api/v1'));
  router.use(idempotency(deps, idempotencyOwner));
  paymentRoutes(router, deps);
  paymentActionRoutes(router, deps);
  notificationRoutes(router, deps);
  walletRoutes(router, deps);
  keyRoutes(router, deps);
  shopRoutes(router, deps);
  payoutRoutes(router, deps);
  return router;
}
