import Router from '@koa/router';
import type { Eta } from 'eta';
import type { AppState } from '../shared/context.js';
import type { PayDeps } from '../../use-cases/deps.js';
import { officeSession } from './guard.js';
import { officeView } from './view.js';
import { authRoutes } from './auth-routes.js';
import { journalRoutes } from './journal-routes.js';
import { paymentRoutes } from './payment-routes.js';
import { manageRoutes } from './manage-routes.js';
import { liveJournal } from './live-journal.js';

/** The merchant back office of spec §12, under /office: server-rendered, every form with a CSRF token. */
export function officeRoutes(deps: PayDeps, views: Eta) {
  const router = new Router<AppState>({ prefix: '/office' });
  const view = officeView(views);
  const live = liveJournal(deps, views);
  router.use(officeSession(deps));
  authRoutes(router, deps, view);
  journalRoutes(router, deps, view, live);
  paymentRoutes(router, deps, view);
  manageRoutes(router, deps, view);
  return { router, live };
}
