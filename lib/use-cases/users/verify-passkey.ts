import { verifyAuthenticationResponse, type AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { Deps } from '../shared/deps.js';
import type { Knex } from '../../postgres/db.js';
import * as passkeys from '../../store/passkeys.js';
import * as users from '../../store/users.js';
import { AppError } from '../../domain/errors.js';
import { counterGoesBack, relyingPartyOf, userHandleOf, type Passkey } from '../../domain/passkey.js';
import type { User } from '../../domain/user.js';

/** Every refusal of an assertion reads the same to the client: which check failed is for the log only. */
export const passkeyRefused = () => new AppError('passkey_invalid', 'The passkey was not accepted');

/** The challenge an assertion (or attestation) answers, as bytes, read from its clientDataJSON; none if it is malformed. */
export function challengeOf(response: unknown): Uint8Array | undefined {
  try {
    const clientData = (response as { response?: { clientDataJSON?: unknown } })?.response?.clientDataJSON;
    if (typeof clientData !== 'string' || clientData.length > 4096) return undefined;
    const challenge = (JSON.parse(Buffer.from(clientData, 'base64url').toString('utf8')) as { challenge?: unknown }).challenge;
    return typeof challenge === 'string' && /^[A-Za-z0-9_-]{16,128}$/.test(challenge) ? new Uint8Array(Buffer.from(challenge, 'base64url')) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Checks an assertion inside the caller's transaction: a known credential of an enabled user, made on our origin
 * for our RP ID with user verification, answering `challenge`, signed by the stored public key, its counter moving
 * forward. The counter and last use are written; any failure is `passkey_invalid`.
 */
export async function verifyPasskey(deps: Pick<Deps, 'config' | 'clock' | 'log'>, trx: Knex.Transaction, response: unknown, challenge: Uint8Array): Promise<{ passkey: Passkey; user: User }> {
  const rp = relyingPartyOf(deps.config.publicUrl);
  const credentialId = (response as { id?: unknown })?.id;
  if (!rp || typeof credentialId !== 'string' || credentialId.length > 1024) throw passkeyRefused();
  const passkey = await passkeys.lockPasskeyByCredential(trx, credentialId);
  const user = passkey ? await users.findUser(trx, passkey.userId) : undefined;
  if (!passkey || !user || user.disabledAt) throw passkeyRefused();
  const handle = (response as { response?: { userHandle?: unknown } }).response?.userHandle;
  if (handle !== undefined && handle !== Buffer.from(userHandleOf(user.id)).toString('base64url')) throw passkeyRefused();
  let newCounter: number;
  try {
    // counter 0 here: the library would compare counters before the signature; we compare after it, to log a clone only when it is one
    const verified = await verifyAuthenticationResponse({
      response: response as AuthenticationResponseJSON, expectedChallenge: Buffer.from(challenge).toString('base64url'), expectedOrigin: rp.origin, expectedRPID: rp.id,
      credential: { id: passkey.credentialId, publicKey: new Uint8Array(passkey.publicKey), counter: 0, transports: passkey.transports }, requireUserVerification: true,
    });
    if (!verified.verified) throw new Error('signature does not verify');
    newCounter = verified.authenticationInfo.newCounter;
  } catch (err) {
    deps.log.info({ passkey: passkey.id, user: user.id, reason: (err as Error).message.slice(0, 200) }, 'passkey assertion refused');
    throw passkeyRefused();
  }
  if (counterGoesBack(passkey.counter, newCounter)) {
    deps.log.warn({ passkey: passkey.id, user: user.id, stored: passkey.counter, received: newCounter }, 'passkey refused: its signature counter went back (a cloned authenticator?)');
    throw passkeyRefused();
  }
  await passkeys.recordUse(trx, passkey.id, newCounter, deps.clock.now());
  return { passkey, user };
}
