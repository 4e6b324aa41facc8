import type { AppContext, AppMiddleware } from '../shared/context.js';
import type { Deps } from '../../use-cases/shared/deps.js';
import { readSession } from '../../use-cases/users/session.js';
import { AppError, isAppError } from '../../domain/errors.js';
import { can, isOfficeUser, type OfficeAction, type OfficeUser } from '../../domain/office.js';
import { secretsEqual } from '../../domain/secrets.js';
import { translator } from '../../i18n/index.js';
import { SESSION_COOKIE } from './cookies.js';
import { officeLang } from './view.js';
import { formOf } from './form.js';
import { officeMode } from './test-mode.js';
import type { Actor } from '../../use-cases/office/actions.js';

export const PUBLIC = [/^\/office\/login$/, /^\/office\/setup\/[^/]+$/, /^\/office\/login\/passkey(\/options)?$/];
const SECOND_FACTOR = /^\/office\/totp$/;
const ENROL = /^\/office\/totp\/enrol$/;
// the user's own sign-in and password, not the merchant's business: open while suspended, no one-time token
export const OWN_ACCOUNT = /^\/office\/(totp|totp\/enrol|logout|account|account\/passkeys|account\/passkeys\/options|account\/passkeys\/remove)$/;

/**
 * Every office request: the session from its cookie (30 minutes idle ends it), the second factor
 * when due, an authenticator when the merchant requires one, and the CSRF token of every POST.
 */
export function officeSession(deps: Pick<Deps, 'db' | 'clock'>): AppMiddleware {
  return async (ctx, next) => {
    ctx.state.errorFormat = 'html';
    if (PUBLIC.some((p) => p.test(ctx.path))) return next();
    const read = await readSession(deps, 'office', ctx.cookies.get(SESSION_COOKIE));
    const session = read && isOfficeUser(read.user) ? { ...read, user: read.user as OfficeUser } : undefined;
    if (!session) {
      if (ctx.method === 'GET' && ctx.path !== '/office/events') return ctx.redirect('/office/login');
      throw new AppError('unauthorized', 'Sign in first');
    }
    const lang = officeLang(ctx);
    const user = session.user;
    const t = translator(lang);
    // read with the session, in its one query
    const { suspended, mode: accountMode } = session.merchant ?? { suspended: false, mode: 'live' as const };
    ctx.state.office = { session, lang, t, suspended, mode: officeMode(ctx, accountMode), accountMode, actor: { userId: user.id, email: user.email, merchantId: user.merchantId, ip: ctx.ip || null } };
    if (ctx.method === 'POST' && !secretsEqual(formOf(ctx).get('_csrf') ?? '', session.csrfToken)) {
      throw new AppError('forbidden', t('error.forbidden'));
    }
    if (session.secondFactorDue && !SECOND_FACTOR.test(ctx.path) && ctx.path !== '/office/logout') return ctx.redirect('/office/totp');
    // a passkey sign-in is both factors (docs/security.md#passkeys): no authenticator app is asked for then
    const mustEnrol = user.requireTotp && !user.sealedTotpSecret && session.signedInWith !== 'passkey';
    if (mustEnrol && !ENROL.test(ctx.path) && ctx.path !== '/office/logout') return ctx.redirect('/office/totp/enrol');
    // docs/merchant-guide.md#back-office: a suspended merchant's users read; every action or management POST is refused here (and again in its use-case)
    if (ctx.method === 'POST' && !OWN_ACCOUNT.test(ctx.path) && suspended) throw new AppError('merchant_suspended', t('office.suspended.refused'));
    try {
      await next();
    } catch (err) {
      // suspended while the request ran: the use-case refused, said in the page's language
      if (isAppError(err) && err.code === 'merchant_suspended') throw new AppError('merchant_suspended', t('office.suspended.refused'));
      throw err;
    }
  };
}

/**
 * The actor of an action form: who acts, and the form's one-time token, spent in the action's
 * transaction; a second post of the form is sent to `outcome` (docs/merchant-guide.md#back-office "Acting once").
 */
export function actorOnce<R>(ctx: AppContext, outcome: string | ((result: R) => string)): Actor {
  const office = ctx.state.office;
  if (!office) throw new AppError('unauthorized', 'Sign in first');
  const token = ctx.state.actionToken;
  return token ? { ...office.actor, once: { tokenHash: token.hash, action: ctx.path, outcome } } : office.actor;
}

/** A refusal the page shows beside its form; others (a suspended merchant, a failure of ours) get a page of their own. */
export function shownBesideForm(err: unknown): err is AppError {
  return isAppError(err) && err.status < 500 && err.code !== 'merchant_suspended';
}

/** docs/merchant-guide.md#back-office: a form the role may not use is not shown, and posting it is 403. */
export function allow(ctx: AppContext, action: OfficeAction): NonNullable<AppContext['state']['office']> {
  const office = ctx.state.office;
  if (!office) throw new AppError('unauthorized', 'Sign in first');
  if (!can(office.session.user.role, action)) throw new AppError('forbidden', office.t('office.error.forbidden'));
  return office;
}
