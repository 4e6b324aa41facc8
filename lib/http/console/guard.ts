import type { AppContext, AppMiddleware } from '../shared/context.js';
import type { Deps } from '../../use-cases/shared/deps.js';
import type { ConsoleActor } from '../../use-cases/console/actor.js';
import { AppError, isAppError } from '../../domain/errors.js';
import { consoleCan, isConsoleUser, type ConsoleAction, type ConsoleUser } from '../../domain/console.js';
import { actingActor, areaActingOnce, areaSession, signedIn, type SessionArea } from '../shared/area-session.js';
import { consoleCookies } from './cookies.js';
import type { ConsoleState } from './state.js';

/**
 * The console's sessions (docs/operator-guide.md#operator-console), the shared machinery's: the session from its cookie,
 * the second factor when due, an authenticator first for admin and finance, and the CSRF token of every POST.
 */
const CONSOLE: SessionArea<ConsoleUser, ConsoleState> = {
  audience: 'console',
  base: '/console',
  cookie: consoleCookies.name,
  open: [/^\/console\/login$/, /^\/console\/setup\/[^/]+$/, /^\/console\/login\/passkey(\/options)?$/],
  // the user's own sign-in, not an action on the service: no one-time token
  ownAccount: /^\/console\/(totp|totp\/enrol|logout|account\/passkeys|account\/passkeys\/options|account\/passkeys\/remove)$/,
  isUser: isConsoleUser,
  enter: (ctx, session, lang, t) => (ctx.state.console = { session, lang, t, actor: { userId: session.user.id, email: session.user.email, ip: ctx.ip || null } }),
  stateOf: (ctx) => ctx.state.console,
};

/** Every console request: its session, then its one-time action token (action forms only). */
export const consoleSession = (deps: Pick<Deps, 'db' | 'clock'>): AppMiddleware => areaSession(deps, CONSOLE);
export const consoleActingOnce = (deps: Pick<Deps, 'db' | 'clock'>): AppMiddleware => areaActingOnce(deps, CONSOLE);

/** docs/operator-guide.md#operator-console: a form the role may not use is not shown, and posting it is 403. */
export function allow(ctx: AppContext, action: ConsoleAction): ConsoleState {
  const state = signedIn(ctx.state.console);
  if (!consoleCan(state.session.user.role, action)) throw new AppError('forbidden', state.t('console.error.forbidden'));
  return state;
}

/** The actor of an action form, with its one-time token; a second post of the form is sent to `outcome` (docs/merchant-guide.md#back-office "Acting once"). */
export function actorOnce<R>(ctx: AppContext, outcome: string | ((result: R) => string)): ConsoleActor {
  return actingActor(ctx, ctx.state.console?.actor, outcome);
}

/** A refusal the page shows beside its form; a failure of ours gets a page of its own. */
export function shownBesideForm(err: unknown): err is AppError {
  return isAppError(err) && err.status < 500 && err.code !== 'forbidden' && err.code !== 'unauthorized';
}
