import type { Deps } from '../../use-cases/shared/deps.js';
import { listPasskeys, passkeysOffered } from '../../use-cases/users/list-passkeys.js';
import type { UserId } from '../../domain/ids.js';

/** The library's own bundle and ours, from our origin (the CSP keeps script-src 'self'). */
export const PASSKEY_SCRIPTS = ['/assets/simplewebauthn-browser.js', '/assets/passkey.js'];

/** The browser's answer (JSON of a PublicKeyCredential); anything unreadable is an answer that will be refused. */
export function parseAnswer(raw: string): unknown {
  try {
    return raw.length > 0 && raw.length <= 16_384 ? JSON.parse(raw) : undefined;
  } catch {
    return undefined;
  }
}

/** What a sign-in page needs to offer "Sign in with a passkey": only on a domain name (docs/security.md#passkeys). */
export function passkeyLogin(deps: Pick<Deps, 'config'>): { passkey: boolean; scripts?: string[] } {
  return passkeysOffered(deps) ? { passkey: true, scripts: PASSKEY_SCRIPTS } : { passkey: false };
}

/** An account page's passkeys: the list and the enrol form. */
export async function passkeyAccount(deps: Pick<Deps, 'db' | 'config'>, userId: UserId) {
  if (!passkeysOffered(deps)) return { passkey: false };
  return { passkey: true, passkeys: await listPasskeys(deps, userId), scripts: PASSKEY_SCRIPTS };
}
