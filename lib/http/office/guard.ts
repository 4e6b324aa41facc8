import type { AppContext, AppMiddleware } from '../shared/context.js';
import type { Deps } from '../../use-cases/shared/deps.js';
import { AppError, isAppError } from '../../domain/errors.js';
import { can, isOfficeUser, type OfficeAction, type OfficeUser } from '../../domain/office.js';
import { actingActor, areaActingOnce, areaSession, signedIn, type SessionArea } from '../shared/area-session.js';
import { SESSION_COOKIE } from './cookies.js';
import { officeMode } from './test-mode.js';
import type { OfficeState } from './state.js';
import type { Actor } from '../../use-cases/office/actions.js';

// the user's own sign-in and password, not the merchant's business: open while suspended, no one-time token
const OWN_ACCOUNT = /^\/office\/(totp|totp\/enrol|logout|account|account\/passkeys|account\/passkeys\/options|account\/passkeys\/remove)$/;

/**
 * The office's sessions (docs/merchant-guide.md#back-office), the shared machinery's: the session from its cookie, the second
 * factor when due, an authenticator when the merchant requires one, the CSRF token of every POST; and a suspended merchant's users read only.
 */
const OFFICE: SessionArea<OfficeUser, OfficeState> = {
  audience: 'office',
  base: '/office',
  cookie: SESSION_COOKIE,
  open: [/^\/office\/login$/, /^\/office\/setup\/[^/]+$/, /^\/office\/login\/passkey(\/options)?$/],
  ownAccount: OWN_ACCOUNT,
  isUser: isOfficeUser,
  enter(ctx, session, lang, t) {
    const user = session.user;
    // read with the session, in its one query
    const { suspended, mode: accountMode } = session.merchant ?? { suspended: false, mode: 'live' as const };
    return (ctx.state.office = { session, lang, t, suspended, mode: officeMode(ctx, accountMode), accountMode, actor: { userId: user.id, email: user.email, merchantId: user.merchantId, ip: ctx.ip || null } });
  },
  stateOf: (ctx) => ctx.state.office,
  async proceed(ctx, next, { suspended, t }) {
    // docs/merchant-guide.md#back-office: a suspended merchant's users read; every action or management POST is refused here (and again in its use-case)
    if (ctx.method === 'POST' && !OWN_ACCOUNT.test(ctx.path) && suspended) throw new AppError('merchant_suspended', t('office.suspended.refused'));
    try {
      await next();
    } catch (err) {
      // suspended while the request ran: the use-case refused, said in the page's language
      if (isAppError(err) && err.code === 'merchant_suspended') throw new AppError('merchant_suspended', t('office.suspended.refused'));
      throw err;
    }
  },
};

/** Every office request: its session, then its one-time action token (action forms only). */
export const officeSession = (deps: Pick<Deps, 'db' | 'clock'>): AppMiddleware => areaSession(deps, OFFICE);
export const officeActingOnce = (deps: Pick<Deps, 'db' | 'clock'>): AppMiddleware => areaActingOnce(deps, OFFICE);

/** The actor of an action form, with its one-time token; a second post of the form is sent to `outcome` (docs/merchant-guide.md#back-office "Acting once"). */
export function actorOnce<R>(ctx: AppContext, outcome: string | ((result: R) => string)): Actor {
  return actingActor(ctx, ctx.state.office?.actor, outcome);
}

/** A refusal the page shows beside its form; others (a suspended merchant, a failure of ours) get a page of their own. */
export function shownBesideForm(err: unknown): err is AppError {
  return isAppError(err) && err.status < 500 && err.code !== 'merchant_suspended';
}

/** docs/merchant-guide.md#back-office: a form the role may not use is not shown, and posting it is 403. */
export function allow(ctx: AppContext, action: OfficeAction): OfficeState {
  const office = signedIn(ctx.state.office);
  if (!can(office.session.user.role, action)) throw new AppError('forbidden', office.t('office.error.forbidden'));
  return office;
}
