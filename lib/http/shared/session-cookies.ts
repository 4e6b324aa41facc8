import { randomBytes } from 'node:crypto';
import type { AppContext } from './context.js';
import { AppError } from '../../domain/errors.js';
import { secretsEqual } from '../../domain/secrets.js';

export type SessionCookies = {
  /** The session cookie's name, for the guard that reads it. */
  name: string;
  set(ctx: AppContext, token: string): void;
  clear(ctx: AppContext): void;
  /** The token of a form shown before a session exists (sign-in, set-up): equal to a random cookie of this browser. */
  preSessionToken(ctx: AppContext): string;
  checkPreSessionToken(ctx: AppContext, posted: string | null): void;
};

/**
 * The cookies of one audience (office, console, the buyer's page), each on its own path
 * (docs/merchant-guide.md#back-office): HttpOnly, SameSite=Lax, Secure whenever the request came over HTTPS (TRUST_PROXY decides
 * for a proxy). Another site can make the browser post a pre-session form, but cannot read the cookie to match its token.
 */
export function sessionCookies(name: string, path: string): SessionCookies {
  const preName = `${name}_form`;
  const flags = (ctx: AppContext) => ({ httpOnly: true, sameSite: 'lax' as const, path, secure: ctx.secure, overwrite: true });
  return {
    name,
    set: (ctx, token) => ctx.cookies.set(name, token, flags(ctx)),
    clear: (ctx) => ctx.cookies.set(name, '', { ...flags(ctx), maxAge: 0 }),
    preSessionToken(ctx) {
      let token = ctx.cookies.get(preName);
      if (!token || !/^[A-Za-z0-9_-]{32}$/.test(token)) {
        token = randomBytes(24).toString('base64url');
        ctx.cookies.set(preName, token, flags(ctx));
      }
      return token;
    },
    checkPreSessionToken(ctx, posted) {
      const token = ctx.cookies.get(preName);
      if (!token || !posted || !secretsEqual(token, posted)) throw new AppError('forbidden', 'This form has expired. Reload the page and try again.');
    },
  };
}
