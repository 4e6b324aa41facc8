import { randomBytes } from 'node:crypto';
import { generateAuthenticationOptions, type PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { Deps } from '../shared/deps.js';
import { inTransaction } from '../../postgres/db.js';
import * as passkeys from '../../store/passkeys.js';
import { insertAudit } from '../../store/audit-log.js';
import { auditActor, startSession, type SignedIn } from './session.js';
import { challengeOf, passkeyRefused, verifyPasskey } from './verify-passkey.js';
import { AppError } from '../../domain/errors.js';
import { CHALLENGE_TTL_MS, challengeHash, relyingPartyOf } from '../../domain/passkey.js';
import type { Audience, User } from '../../domain/user.js';

type PasskeyDeps = Pick<Deps, 'db' | 'clock' | 'config' | 'log'>;

/** The options of navigator.credentials.get() for a sign-in: no credential named (the browser offers the user's own), user verification required. */
export async function startPasskeySignIn(deps: PasskeyDeps, audience: Audience): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const rp = relyingPartyOf(deps.config.publicUrl);
  if (!rp) throw new AppError('forbidden', 'Passkeys need the service on a domain name');
  const challenge = new Uint8Array(randomBytes(32));
  const now = deps.clock.now();
  await passkeys.insertChallenge(deps.db, { challengeHash: challengeHash(challenge), purpose: 'sign_in', audience, createdAt: now, expiresAt: new Date(now.getTime() + CHALLENGE_TTL_MS) });
  return generateAuthenticationOptions({ rpID: rp.id, challenge, userVerification: 'required', timeout: CHALLENGE_TTL_MS });
}

/**
 * A sign-in with a passkey (docs/security.md#passkeys): one of our sign-in challenges for this audience, spent before
 * the assertion is checked, answered by a passkey of a user of this audience. The session needs no second factor.
 */
export async function signInWithPasskey(deps: PasskeyDeps, audience: Audience, response: unknown, ip: string | null): Promise<{ session: SignedIn; user: User }> {
  const challenge = challengeOf(response);
  const now = deps.clock.now();
  const spent = challenge ? await passkeys.spendChallenge(deps.db, challengeHash(challenge), 'sign_in', now) : undefined;
  if (!challenge || !spent || spent.audience !== audience) throw passkeyRefused();
  const { user, passkey } = await inTransaction(deps.db, (trx) => verifyPasskey(deps, trx, response, challenge));
  // a cookie of one audience never opens another's pages: nor does its passkey
  if (user.audience !== audience || user.emailElsewhere) throw passkeyRefused();
  const session = await startSession(deps, user, ip, false, 'passkey');
  await insertAudit(deps.db, { ...auditActor(user), action: 'sign_in', target: null, ip, at: now, details: { passkey: passkey.id } });
  return { session, user };
}
