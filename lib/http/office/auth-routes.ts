import type Router from '@koa/router';
import type { AppState } from '../shared/context.js';
import type { Deps } from '../../use-cases/shared/deps.js';
import { signInRoutes, type SignInArea } from '../shared/sign-in-routes.js';
import { passkeyRoutes } from '../shared/passkey-routes.js';
import { officeCookies } from './cookies.js';
import { officeLang, type OfficeView } from './view.js';

/** Sign-in, the second factor, sign-out, the set-up link and enrolment (docs/merchant-guide.md#back-office): the shared routes, for the office. */
export function authRoutes(router: Router<AppState>, deps: Pick<Deps, 'db' | 'clock' | 'config' | 'log'>, view: OfficeView) {
  const area = { audience: 'office', base: '/office', cookies: officeCookies, view, langOf: officeLang, signedIn: (ctx) => ctx.state.office } as const satisfies SignInArea;
  signInRoutes(router, deps, area);
  // docs/security.md#passkeys: a passkey instead of password and authenticator
  passkeyRoutes(router, deps, area);
}
