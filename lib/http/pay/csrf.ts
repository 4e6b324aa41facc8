import { createHmac, randomBytes } from 'node:crypto';
import type { AppContext } from '../shared/context.js';
import { AppError } from '../../domain/errors.js';
import { secretsEqual } from '../../domain/secrets.js';

const COOKIE = 'tp_csrf';

/**
 * Hosted-page forms carry a token bound to a random cookie of this browser and to the payment:
 * another site can make the browser post, but cannot read the token to put in the form.
 */
export function csrfToken(ctx: AppContext, serverKey: string, paymentId: string): string {
  let nonce = ctx.cookies.get(COOKIE);
  if (!nonce || !/^[A-Za-z0-9_-]{43}$/.test(nonce)) {
    nonce = randomBytes(32).toString('base64url');
    ctx.cookies.set(COOKIE, nonce, { httpOnly: true, sameSite: 'lax', path: '/pay', secure: ctx.protocol === 'https', overwrite: true });
  }
  return sign(serverKey, nonce, paymentId);
}

/** A token made from any accepted secret is good (CODE_SECRET, and its previous or next one during a rotation); each is compared in constant time. */
export function checkCsrf(ctx: AppContext, serverKeys: string[], paymentId: string, token: string | null): void {
  const nonce = ctx.cookies.get(COOKIE);
  if (!nonce || !token || !serverKeys.map((key) => secretsEqual(token, sign(key, nonce, paymentId))).reduce((a, b) => a || b, false)) {
    throw new AppError('forbidden', 'This form has expired or did not come from this page. Go back, reload the page and try again.');
  }
}

function sign(serverKey: string, nonce: string, paymentId: string): string {
  return createHmac('sha256', serverKey).update(`csrf:${nonce}:${paymentId}`).digest('base64url');
}
