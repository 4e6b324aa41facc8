import Router from '@koa/router';
import type { Eta } from 'eta';
import type { AppState } from '../shared/context.js';
import type { PayDeps } from '../../use-cases/shared/deps.js';
import { actingOnce } from '../shared/action-tokens.js';
import { formOf } from '../shared/form.js';
import { translator } from '../../i18n/index.js';
import { isMePath, meSession, OWN_SESSION, PUBLIC } from './guard.js';
import { meView } from './view.js';
import { loginRoutes } from './login-routes.js';
import { walletRoutes } from './wallet-routes.js';
import { mePasskeyRoutes } from './passkey-routes.js';

/**
 * The buyer's wallet page of docs/buyer-guide.md#me--the-buyers-wallet-page, under /me: server-rendered in the hosted
 * pages' look, every form with a CSRF token, every action form with a one-time token. Other sign-ins (passkeys) add
 * their routes to this router: `meRoutes(...).router`.
 */
export function meRoutes(deps: PayDeps, views: Eta) {
  const router = new Router<AppState>({ prefix: '/me' });
  const view = meView(views);
  router.use(meSession(deps));
  router.use(actingOnce(deps, {
    secretOf: (ctx) => ctx.state.me?.session.csrfToken,
    formOf,
    exempt: (ctx) => !isMePath(ctx.path) || PUBLIC.some((p) => p.test(ctx.path)) || OWN_SESSION.test(ctx.path),
    expired: (ctx) => translator(ctx.state.me?.lang ?? 'en')('error.forbidden'),
  }));
  loginRoutes(router, deps, view);
  walletRoutes(router, deps, view);
  mePasskeyRoutes(router, deps);
  return { router, view };
}
