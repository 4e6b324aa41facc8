import Router from '@koa/router';
import type { Eta } from 'eta';
import type { AppState } from '../shared/context.js';
import type { PayDeps } from '../../use-cases/shared/deps.js';
import { officeActingOnce, officeSession } from './guard.js';
import { officeView } from './view.js';
import { authRoutes } from './auth-routes.js';
import { journalRoutes } from './journal-routes.js';
import { overviewRoutes } from './overview-routes.js';
import { paymentRoutes } from './payment-routes.js';
import { manageRoutes } from './manage-routes.js';
import { liveJournal } from './live-journal.js';
import { userChangeRoutes } from './user-routes.js';
import { accountRoutes } from './account-routes.js';
import { multipartForms } from '../shared/multipart.js';
import { BRAND_PATH } from './shop-brand-routes.js';

/** The merchant back office of docs/merchant-guide.md#back-office, under /office: server-rendered, every form with a CSRF token. */
export function officeRoutes(deps: PayDeps, views: Eta) {
  const router = new Router<AppState>({ prefix: '/office' });
  const view = officeView(views, deps.clock);
  const live = liveJournal(deps, views);
  // docs/merchant-guide.md#brand: the logo upload is the one multipart form; read (bounded) before the session's CSRF check reads its fields
  router.use(multipartForms(BRAND_PATH, 512 * 1024));
  router.use(officeSession(deps));
  router.use(officeActingOnce(deps));
  authRoutes(router, deps, view);
  overviewRoutes(router, deps, view);
  journalRoutes(router, deps, view, live);
  paymentRoutes(router, deps, view);
  manageRoutes(router, deps, view);
  userChangeRoutes(router, deps, view);
  accountRoutes(router, deps, view);
  return { router, live };
}
