import type { Deps } from '../shared/deps.js';
import * as passkeys from '../../store/passkeys.js';
import { relyingPartyOf, type Passkey } from '../../domain/passkey.js';
import type { UserId } from '../../domain/ids.js';

/** A user's passkeys, oldest first, for their account page. */
export function listPasskeys(deps: Pick<Deps, 'db'>, userId: UserId): Promise<Passkey[]> {
  return passkeys.listPasskeys(deps.db, userId);
}

/** Whether passkey options are offered at all: only when PUBLIC_URL is on a domain name (docs/security.md#passkeys). */
export function passkeysOffered(deps: Pick<Deps, 'config'>): boolean {
  return relyingPartyOf(deps.config.publicUrl) !== undefined;
}
