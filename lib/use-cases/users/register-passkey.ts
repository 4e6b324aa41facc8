import { randomBytes } from 'node:crypto';
import { generateRegistrationOptions, verifyRegistrationResponse, type PublicKeyCredentialCreationOptionsJSON, type RegistrationResponseJSON } from '@simplewebauthn/server';
import type { Deps } from '../shared/deps.js';
import * as passkeys from '../../store/passkeys.js';
import { insertAudit } from '../../store/audit-log.js';
import { inTransaction } from '../../postgres/db.js';
import { spendActionToken, type ActingOnce } from '../shared/action-tokens.js';
import { auditActor } from './session.js';
import { challengeOf, passkeyRefused } from './verify-passkey.js';
import { AppError } from '../../domain/errors.js';
import { CHALLENGE_TTL_MS, challengeHash, passkeyUserName, relyingPartyOf, userHandleOf, type Passkey } from '../../domain/passkey.js';
import type { User } from '../../domain/user.js';

type PasskeyDeps = Pick<Deps, 'db' | 'clock' | 'config' | 'log'>;

function relyingParty(deps: Pick<Deps, 'config'>) {
  const rp = relyingPartyOf(deps.config.publicUrl);
  if (!rp) throw new AppError('forbidden', 'Passkeys need the service on a domain name');
  return rp;
}

/**
 * The options of navigator.credentials.create() for a signed-in user (docs/security.md#passkeys): a discoverable
 * credential with user verification, on the host of PUBLIC_URL, its challenge kept (hashed) for one answer.
 */
export async function startPasskeyRegistration(deps: PasskeyDeps, user: User): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const rp = relyingParty(deps);
  const challenge = new Uint8Array(randomBytes(32));
  const now = deps.clock.now();
  const existing = await passkeys.listPasskeys(deps.db, user.id);
  await passkeys.insertChallenge(deps.db, { challengeHash: challengeHash(challenge), purpose: 'register', userId: user.id, createdAt: now, expiresAt: new Date(now.getTime() + CHALLENGE_TTL_MS) });
  return generateRegistrationOptions({
    rpName: rp.name, rpID: rp.id, userName: passkeyUserName(user), userID: userHandleOf(user.id), challenge, attestationType: 'none', timeout: CHALLENGE_TTL_MS,
    excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: p.transports })),
    authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'required' },
  });
}

/** Checks the browser's answer to the user's own challenge and keeps the public key; the challenge is spent first, whatever the answer. */
export async function finishPasskeyRegistration(deps: PasskeyDeps, user: User, response: unknown, ip: string | null, once?: ActingOnce): Promise<Passkey> {
  const rp = relyingParty(deps);
  const challenge = challengeOf(response);
  const now = deps.clock.now();
  const spent = challenge ? await passkeys.spendChallenge(deps.db, challengeHash(challenge), 'register', now) : undefined;
  if (!challenge || !spent || spent.userId !== user.id) throw passkeyRefused();
  let info;
  try {
    const verified = await verifyRegistrationResponse({
      response: response as RegistrationResponseJSON, expectedChallenge: Buffer.from(challenge).toString('base64url'), expectedOrigin: rp.origin, expectedRPID: rp.id,
      requireUserVerification: true,
    });
    if (!verified.verified) throw new Error('attestation does not verify');
    info = verified.registrationInfo;
  } catch (err) {
    deps.log.info({ user: user.id, reason: (err as Error).message.slice(0, 200) }, 'passkey registration refused');
    throw passkeyRefused();
  }
  const credential = info.credential;
  return inTransaction(deps.db, async (trx) => {
    const added = await passkeys.insertPasskey(trx, {
      userId: user.id, credentialId: credential.id, publicKey: credential.publicKey, counter: credential.counter, transports: credential.transports ?? [], createdAt: now,
    });
    if (!added) throw passkeyRefused();
    await insertAudit(trx, { ...auditActor(user), action: 'passkey_added', target: added.id, ip, at: now });
    if (once) await spendActionToken(deps, trx, once, added);
    return added;
  });
}
