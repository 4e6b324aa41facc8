import type { AppContext, AppMiddleware } from '../shared/context.js';
import type { Deps } from '../../use-cases/shared/deps.js';
import type { ConsoleActor } from '../../use-cases/console/actor.js';
import { readSession } from '../../use-cases/users/session.js';
import { AppError, isAppError } from '../../domain/errors.js';
import { consoleCan, isConsoleUser, type ConsoleAction, type ConsoleUser } from '../../domain/console.js';
import { secretsEqual } from '../../domain/secrets.js';
import { translator } from '../../i18n/index.js';
import { officeLang } from '../office/view.js';
import { formOf } from '../shared/form.js';
import { consoleCookies } from './cookies.js';
import type { ConsoleState } from './state.js';

export const PUBLIC = [/^\/console\/login$/, /^\/console\/setup\/[^/]+$/, /^\/console\/login\/passkey(\/options)?$/];
const SECOND_FACTOR = /^\/console\/totp$/;
const ENROL = /^\/console\/totp\/enrol$/;
// the user's own sign-in, not an action on the service: no one-time token
export const OWN_ACCOUNT = /^\/console\/(totp|totp\/enrol|logout|account\/passkeys|account\/passkeys\/options|account\/passkeys\/remove)$/;

/**
 * Every console request (docs/operator-guide.md#operator-console): the session from its cookie (30 minutes idle ends it),
 * the second factor when due, an authenticator first for admin and finance, and the CSRF token of every POST.
 */
export function consoleSession(deps: Pick<Deps, 'db' | 'clock'>): AppMiddleware {
  return async (ctx, next) => {
    ctx.state.errorFormat = 'html';
    if (PUBLIC.some((p) => p.test(ctx.path))) return next();
    const read = await readSession(deps, 'console', ctx.cookies.get(consoleCookies.name));
    const session = read && isConsoleUser(read.user) ? { ...read, user: read.user as ConsoleUser } : undefined;
    if (!session) {
      if (ctx.method === 'GET' && ctx.path !== '/console/events') return ctx.redirect('/console/login');
      throw new AppError('unauthorized', 'Sign in first');
    }
    const lang = officeLang(ctx);
    const t = translator(lang);
    const user = session.user;
    ctx.state.console = { session, lang, t, actor: { userId: user.id, email: user.email, ip: ctx.ip || null } };
    if (ctx.method === 'POST' && !secretsEqual(formOf(ctx).get('_csrf') ?? '', session.csrfToken)) throw new AppError('forbidden', t('error.forbidden'));
    if (session.secondFactorDue && !SECOND_FACTOR.test(ctx.path) && ctx.path !== '/console/logout') return ctx.redirect('/console/totp');
    // admin and finance enrol an authenticator before anything else
    // a passkey sign-in is both factors (docs/security.md#passkeys): no authenticator app is asked for then
    if (user.requireTotp && !user.sealedTotpSecret && session.signedInWith !== 'passkey' && !ENROL.test(ctx.path) && ctx.path !== '/console/logout') return ctx.redirect('/console/totp/enrol');
    await next();
  };
}

/** docs/operator-guide.md#operator-console: a form the role may not use is not shown, and posting it is 403. */
export function allow(ctx: AppContext, action: ConsoleAction): ConsoleState {
  const state = ctx.state.console;
  if (!state) throw new AppError('unauthorized', 'Sign in first');
  if (!consoleCan(state.session.user.role, action)) throw new AppError('forbidden', state.t('console.error.forbidden'));
  return state;
}

/**
 * The actor of an action form: who acts, and the form's one-time token, spent in the action's transaction;
 * a second post of the form is sent to `outcome` (docs/merchant-guide.md#back-office "Acting once").
 */
export function actorOnce<R>(ctx: AppContext, outcome: string | ((result: R) => string)): ConsoleActor {
  const state = ctx.state.console;
  if (!state) throw new AppError('unauthorized', 'Sign in first');
  const token = ctx.state.actionToken;
  return token ? { ...state.actor, once: { tokenHash: token.hash, action: ctx.path, outcome } } : state.actor;
}

/** A refusal the page shows beside its form; a failure of ours gets a page of its own. */
export function shownBesideForm(err: unknown): err is AppError {
  return isAppError(err) && err.status < 500 && err.code !== 'forbidden' && err.code !== 'unauthorized';
}
