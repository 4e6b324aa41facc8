import type { AppContext, AppMiddleware } from '../shared/context.js';
import type { Deps } from '../../use-cases/deps.js';
import { readSession } from '../../use-cases/office-session.js';
import { AppError } from '../../domain/errors.js';
import { can, type OfficeAction } from '../../domain/office.js';
import { secretsEqual } from '../../domain/secrets.js';
import { translator } from '../../i18n/index.js';
import { SESSION_COOKIE } from './cookies.js';
import { officeLang } from './view.js';
import { formOf } from './form.js';

const PUBLIC = [/^\/office\/login$/, /^\/office\/setup\/[^/]+$/];
const SECOND_FACTOR = /^\/office\/totp$/;
const ENROL = /^\/office\/totp\/enrol$/;

/**
 * Every office request: the session from its cookie (30 minutes idle ends it), the second factor
 * when due, an authenticator when the merchant requires one, and the CSRF token of every POST.
 */
export function officeSession(deps: Pick<Deps, 'db' | 'clock'>): AppMiddleware {
  return async (ctx, next) => {
    ctx.state.errorFormat = 'html';
    if (PUBLIC.some((p) => p.test(ctx.path))) return next();
    const session = await readSession(deps, ctx.cookies.get(SESSION_COOKIE));
    if (!session) {
      if (ctx.method === 'GET' && ctx.path !== '/office/events') return ctx.redirect('/office/login');
      throw new AppError('unauthorized', 'Sign in first');
    }
    const lang = officeLang(ctx);
    const user = session.user;
    ctx.state.office = { session, lang, t: translator(lang), actor: { userId: user.id, email: user.email, merchantId: user.merchantId, ip: ctx.ip || null } };
    if (ctx.method === 'POST' && !secretsEqual(formOf(ctx).get('_csrf') ?? '', session.csrfToken)) {
      throw new AppError('forbidden', 'This form has expired. Reload the page and try again.');
    }
    if (session.secondFactorDue && !SECOND_FACTOR.test(ctx.path) && ctx.path !== '/office/logout') return ctx.redirect('/office/totp');
    const mustEnrol = user.requireTotp && !user.sealedTotpSecret;
    if (mustEnrol && !ENROL.test(ctx.path) && ctx.path !== '/office/logout') return ctx.redirect('/office/totp/enrol');
    return next();
  };
}

/** Spec §12: a form the role may not use is not shown, and posting it is 403. */
export function allow(ctx: AppContext, action: OfficeAction): NonNullable<AppContext['state']['office']> {
  const office = ctx.state.office;
  if (!office) throw new AppError('unauthorized', 'Sign in first');
  if (!can(office.session.user.role, action)) throw new AppError('forbidden', office.t('office.error.forbidden'));
  return office;
}
