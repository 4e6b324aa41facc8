import type { AppContext, AppMiddleware } from '../shared/context.js';
import type { Deps } from '../../use-cases/shared/deps.js';
import type { ActingOnce } from '../../use-cases/shared/action-tokens.js';
import { readSession } from '../../use-cases/users/session.js';
import { AppError } from '../../domain/errors.js';
import { secretsEqual } from '../../domain/secrets.js';
import type { FreezeBy } from '../../domain/wallet-freeze.js';
import type { Phone } from '../../domain/phone.js';
import { translator } from '../../i18n/index.js';
import { formOf } from '../shared/form.js';
import { meCookies } from './cookies.js';
import { meLang } from './view.js';
import type { MeState } from './state.js';

/** Pages open before a session exists: the phone step and the code step of the sign-in. */
export const PUBLIC = [/^\/me\/login$/, /^\/me\/login\/code$/, /^\/me\/login\/passkey(\/options)?$/];
/** POSTs on one's own session, not on the wallet: no one-time token asked. */
export const OWN_SESSION = /^\/me\/(logout|passkeys\/options)$/;

/** Only /me and what is under it: the router's prefix alone would also match /metrics. */
export const isMePath = (path: string) => path === '/me' || path.startsWith('/me/');

/**
 * Every /me request (docs/buyer-guide.md#me--the-buyers-wallet-page): the buyer's session from its cookie (30 minutes
 * idle ends it; a cookie of another audience opens nothing here), the page language, and the CSRF token of every POST.
 */
export function meSession(deps: Pick<Deps, 'db' | 'clock'>): AppMiddleware {
  return async (ctx, next) => {
    if (!isMePath(ctx.path)) return next();
    ctx.state.errorFormat = 'html';
    if (PUBLIC.some((p) => p.test(ctx.path))) return next();
    const session = await readSession(deps, 'me', ctx.cookies.get(meCookies.name));
    if (!session?.user.phone) {
      if (ctx.method === 'GET') return ctx.redirect('/me/login');
      throw new AppError('unauthorized', 'Sign in first');
    }
    const lang = meLang(ctx);
    const t = translator(lang);
    ctx.state.me = { session, phone: session.user.phone as Phone, lang, t, signedInWith: session.signedInWith === 'passkey' ? 'passkey' : 'sms_code' };
    if (ctx.method === 'POST' && !secretsEqual(formOf(ctx).get('_csrf') ?? '', session.csrfToken)) throw new AppError('forbidden', t('error.forbidden'));
    await next();
  };
}

export function signedIn(ctx: AppContext): MeState {
  if (!ctx.state.me) throw new AppError('unauthorized', 'Sign in first');
  return ctx.state.me;
}

/** Who acts on the wallets: an SMS-code session never unfreezes; a passkey sign-in (marked by its routes) may. */
export function freezeByOf(ctx: AppContext): FreezeBy {
  const me = signedIn(ctx);
  return { kind: me.signedInWith === 'passkey' ? 'passkey' : 'sms_session', userId: me.session.user.id, ip: ctx.ip || null };
}

/** The posted form's one-time token, to spend with the action; a second post of it is sent to `outcome`. */
export function onceOf(ctx: AppContext, outcome: string): ActingOnce | undefined {
  const token = ctx.state.actionToken;
  return token ? { tokenHash: token.hash, action: ctx.path, outcome } : undefined;
}
