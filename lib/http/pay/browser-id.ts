import { randomBytes } from 'node:crypto';
import type { AppContext } from '../shared/context.js';
import { sha256Hex } from '../../domain/secrets.js';

const COOKIE = 'tp_browser';
const NONCE = /^[A-Za-z0-9_-]{43}$/;

/**
 * A random cookie that names this browser to the hosted pages; only its SHA-256 is stored with a
 * payment, so a database dump cannot be turned into someone's cookie.
 */
export function browserHash(ctx: AppContext): string {
  let nonce = ctx.cookies.get(COOKIE);
  if (!nonce || !NONCE.test(nonce)) {
    nonce = randomBytes(32).toString('base64url');
    ctx.cookies.set(COOKIE, nonce, { httpOnly: true, sameSite: 'lax', path: '/', secure: ctx.protocol === 'https', overwrite: true });
  }
  return sha256Hex(`browser:${nonce}`);
}
