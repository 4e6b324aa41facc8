import type { AppContext, AppMiddleware } from './context.js';
import type { Deps } from '../../use-cases/shared/deps.js';
import { readSession, type Session } from '../../use-cases/users/session.js';
import type { ActingOnce } from '../../use-cases/shared/action-tokens.js';
import { AppError } from '../../domain/errors.js';
import { secretsEqual } from '../../domain/secrets.js';
import type { Audience, User } from '../../domain/user.js';
import { translator, type Lang, type Translate } from '../../i18n/index.js';
import { actingOnce } from './action-tokens.js';
import { areaLang } from './area-view.js';
import { formOf } from './form.js';

type Next = () => Promise<unknown>;

/** What differs between the office's sessions and the console's: who signs in where, and what the area keeps of a session. */
export type SessionArea<U extends User, S extends { session: Session<U>; lang: Lang }> = {
  audience: Audience;
  /** '/office' or '/console': the router's prefix. */
  base: string;
  cookie: string;
  /** Pages open without a session (sign-in, the set-up link). */
  open: readonly RegExp[];
  /** The user's own sign-in and account: no one-time token (and, in the office, open while suspended). */
  ownAccount: RegExp;
  isUser: (user: User) => user is U;
  /** Builds the area's state of a signed-in request and keeps it in ctx.state. */
  enter: (ctx: AppContext, session: Session<U>, lang: Lang, t: Translate) => S;
  stateOf: (ctx: AppContext) => S | undefined;
  /** The rest of a signed-in request (the office's suspended rule); `next` when absent. */
  proceed?: (ctx: AppContext, next: Next, state: S) => Promise<unknown>;
};

/**
 * Every request of a signed-in area: the session from its cookie (30 minutes idle ends it), the CSRF token of every POST,
 * the second factor when due, and an authenticator first when the user must have one.
 */
export function areaSession<U extends User, S extends { session: Session<U>; lang: Lang }>(deps: Pick<Deps, 'db' | 'clock'>, area: SessionArea<U, S>): AppMiddleware {
  const { base } = area;
  return async (ctx, next) => {
    ctx.state.errorFormat = 'html';
    if (area.open.some((p) => p.test(ctx.path))) return next();
    const read = await readSession(deps, area.audience, ctx.cookies.get(area.cookie));
    const session = read && area.isUser(read.user) ? { ...read, user: read.user as U } : undefined;
    if (!session) {
      if (ctx.method === 'GET' && ctx.path !== `${base}/events`) return ctx.redirect(`${base}/login`);
      throw new AppError('unauthorized', 'Sign in first');
    }
    const lang = areaLang(ctx);
    const t = translator(lang);
    const state = area.enter(ctx, session, lang, t);
    if (ctx.method === 'POST' && !secretsEqual(formOf(ctx).get('_csrf') ?? '', session.csrfToken)) throw new AppError('forbidden', t('error.forbidden'));
    if (session.secondFactorDue && ctx.path !== `${base}/totp` && ctx.path !== `${base}/logout`) return ctx.redirect(`${base}/totp`);
    // a passkey sign-in is both factors (docs/security.md#passkeys): no authenticator app is asked for then
    const mustEnrol = session.user.requireTotp && !session.user.sealedTotpSecret && session.signedInWith !== 'passkey';
    if (mustEnrol && ctx.path !== `${base}/totp/enrol` && ctx.path !== `${base}/logout`) return ctx.redirect(`${base}/totp/enrol`);
    return area.proceed ? area.proceed(ctx, next, state) : next();
  };
}

/** The area's one-time action tokens (action-tokens.ts): signed with its session's CSRF secret, refused in the page's language. */
export function areaActingOnce<U extends User, S extends { session: Session<U>; lang: Lang }>(deps: Pick<Deps, 'db' | 'clock'>, area: SessionArea<U, S>): AppMiddleware {
  return actingOnce(deps, {
    secretOf: (ctx) => area.stateOf(ctx)?.session.csrfToken,
    formOf,
    exempt: (ctx) => area.open.some((p) => p.test(ctx.path)) || area.ownAccount.test(ctx.path),
    expired: (ctx) => translator(area.stateOf(ctx)?.lang ?? 'en')('error.forbidden'),
  });
}

/** The area's state of a signed-in request; none is a request to sign in first. */
export function signedIn<S>(state: S | undefined): S {
  if (!state) throw new AppError('unauthorized', 'Sign in first');
  return state;
}

/**
 * The actor of an action form: who acts, and the form's one-time token, spent in the action's transaction;
 * a second post of the form is sent to `outcome` (docs/merchant-guide.md#back-office "Acting once").
 */
export function actingActor<A extends { once?: ActingOnce }>(ctx: AppContext, actor: A | undefined, outcome: ActingOnce['outcome']): A {
  const signed = signedIn(actor);
  const token = ctx.state.actionToken;
  return token ? { ...signed, once: { tokenHash: token.hash, action: ctx.path, outcome } } : signed;
}
