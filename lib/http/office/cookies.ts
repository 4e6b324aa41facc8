import { randomBytes } from 'node:crypto';
import type { AppContext } from '../shared/context.js';
import { AppError } from '../../domain/errors.js';
import { secretsEqual } from '../../domain/secrets.js';

export const SESSION_COOKIE = 'tp_office';
const PRE_SESSION_COOKIE = 'tp_office_form';

/** docs/merchant-guide.md#back-office: HttpOnly, SameSite=Lax, Path=/office, Secure whenever the request came over HTTPS (TRUST_PROXY decides for a proxy). */
function flags(ctx: AppContext) {
  return { httpOnly: true, sameSite: 'lax' as const, path: '/office', secure: ctx.secure, overwrite: true };
}

export function setSessionCookie(ctx: AppContext, token: string): void {
  ctx.cookies.set(SESSION_COOKIE, token, flags(ctx));
}

export function clearSessionCookie(ctx: AppContext): void {
  ctx.cookies.set(SESSION_COOKIE, '', { ...flags(ctx), maxAge: 0 });
}

/**
 * Forms shown before a session exists (sign-in, set-up) carry a token equal to a random cookie of
 * this browser: another site can make the browser post, but cannot read the cookie to match it.
 */
export function preSessionToken(ctx: AppContext): string {
  let token = ctx.cookies.get(PRE_SESSION_COOKIE);
  if (!token || !/^[A-Za-z0-9_-]{32}$/.test(token)) {
    token = randomBytes(24).toString('base64url');
    ctx.cookies.set(PRE_SESSION_COOKIE, token, flags(ctx));
  }
  return token;
}

export function checkPreSessionToken(ctx: AppContext, posted: string | null): void {
  const token = ctx.cookies.get(PRE_SESSION_COOKIE);
  if (!token || !posted || !secretsEqual(token, posted)) throw new AppError('forbidden', 'This form has expired. Reload the page and try again.');
}
