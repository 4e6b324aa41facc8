import type Router from '@koa/router';
import type { AppState } from '../shared/context.js';
import type { PayDeps } from '../../use-cases/shared/deps.js';
import type { ConsoleView } from './view.js';
import { walletRoutes } from './wallet-routes.js';
import { payoutRoutes } from './payout-routes.js';
import { notificationRoutes } from './notification-routes.js';
import { voucherRoutes } from './voucher-routes.js';
import { limitRoutes } from './limit-routes.js';

/** The console's money pages (docs/operator-guide.md#operator-console): wallets and the cashier's desk, payouts, notifications, vouchers, limits. */
export function moneyRoutes(router: Router<AppState>, deps: PayDeps, view: ConsoleView) {
  walletRoutes(router, deps, view);
  payoutRoutes(router, deps, view);
  notificationRoutes(router, deps, view);
  voucherRoutes(router, deps, view);
  limitRoutes(router, deps, view);
}
