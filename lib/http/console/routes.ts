import Router from '@koa/router';
import type { Eta } from 'eta';
import type { AppState } from '../shared/context.js';
import type { PayDeps } from '../../use-cases/shared/deps.js';
import { signInRoutes, type SignInArea } from '../shared/sign-in-routes.js';
import { passkeyRoutes } from '../shared/passkey-routes.js';
import { areaLang } from '../shared/area-view.js';
import { liveJournal, EVERY_MERCHANT } from '../office/live-journal.js';
import { consoleActingOnce, consoleSession } from './guard.js';
import { consoleCookies } from './cookies.js';
import { consoleView } from './view.js';
import { overviewRoutes } from './overview-routes.js';
import { paymentRoutes } from './payment-routes.js';
import { merchantRoutes } from './merchant-routes.js';
import { auditRoutes } from './audit-routes.js';
import { moneyRoutes } from './money-routes.js';
import { eraseRoutes } from './erase-routes.js';
import { operatorRoutes } from './operator-routes.js';

/** The operator console of docs/operator-guide.md#operator-console, under /console: server-rendered, the office's machinery. */
export function consoleRoutes(deps: PayDeps, views: Eta) {
  const router = new Router<AppState>({ prefix: '/console' });
  const view = consoleView(views, deps.clock);
  // the office's live journal, for every merchant's payments
  const live = liveJournal(deps, views, {
    row: './console-row',
    whoOf: (ctx) => ({ lang: ctx.state.console!.lang, session: ctx.state.console!.session.tokenHash, key: EVERY_MERCHANT }),
  });
  router.use(consoleSession(deps));
  router.use(consoleActingOnce(deps));
  const area = { audience: 'console', base: '/console', cookies: consoleCookies, view, langOf: areaLang, signedIn: (ctx) => ctx.state.console } as const satisfies SignInArea;
  signInRoutes(router, deps, area);
  // docs/security.md#passkeys: a passkey instead of password and authenticator; enrolled at /console/account/passkeys
  passkeyRoutes(router, deps, area);
  overviewRoutes(router, deps, view, live);
  paymentRoutes(router, deps, view);
  merchantRoutes(router, deps, view);
  auditRoutes(router, deps, view);
  moneyRoutes(router, deps, view);
  eraseRoutes(router, deps, view);
  operatorRoutes(router, deps, view);
  return { router, live };
}
