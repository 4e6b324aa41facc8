import { hash } from '@node-rs/argon2';
import type { Deps } from '../shared/deps.js';
import { inTransaction } from '../../postgres/db.js';
import * as users from '../../store/users.js';
import { insertAudit } from '../../store/audit-log.js';
import { placeOf, sealIn } from '../../notify/keyring.js';
import { sha256Hex } from '../../domain/secrets.js';
import { passwordProblem, type Audience, type User } from '../../domain/user.js';
import { totpStep } from '../../domain/totp.js';
import { auditActor, startSession, type Session, type SignedIn } from './session.js';

export type SetupProblem = 'too_short' | 'too_long' | 'mismatch' | 'totp_required' | 'totp_wrong' | 'link_spent';
export type SetupOutcome = { ok: true; session: SignedIn } | { ok: false; problems: Partial<Record<'password' | 'password_again' | 'totp' | 'link', SetupProblem>> };

/** The user of the audience whose one-time set-up link is still valid, or nothing. */
export async function readSetup(deps: Pick<Deps, 'db' | 'clock'>, audience: Audience, token: string): Promise<User | undefined> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
  const user = await users.findUserBySetupToken(deps.db, sha256Hex(token), deps.clock.now());
  return user?.audience === audience ? user : undefined;
}

/**
 * docs/merchant-guide.md#back-office: the user chooses a password (≥ 12 characters, argon2id) and may enrol an authenticator
 * (required when the merchant says so) by typing its first code. The link is spent in the same
 * statement that stores the password, and the user is signed in.
 */
export async function completeSetup(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>, audience: Audience, token: string, input: { password: string; passwordAgain: string; totpSecret?: string; totpCode?: string; ip: string | null },
): Promise<SetupOutcome> {
  const user = await readSetup(deps, audience, token);
  if (!user) return { ok: false, problems: { link: 'link_spent' } };
  const problems: Exclude<SetupOutcome, { ok: true }>['problems'] = {};
  const weak = passwordProblem(input.password);
  if (weak) problems.password = weak;
  else if (input.password !== input.passwordAgain) problems.password_again = 'mismatch';
  const enrolling = Boolean(input.totpCode?.trim());
  const step = enrolling && input.totpSecret ? await totpStep(input.totpSecret, input.totpCode!.trim(), deps.clock.now()) : undefined;
  if (enrolling && step === undefined) problems.totp = 'totp_wrong';
  if (!enrolling && user.requireTotp) problems.totp = 'totp_required';
  if (Object.keys(problems).length) return { ok: false, problems };
  const sealed = enrolling ? sealIn(deps.config, input.totpSecret!, placeOf.totpSecret(user.id)) : null;
  const passwordHash = await hash(input.password);
  const done = await inTransaction(deps.db, async (trx) => {
    if (!(await users.completeSetup(trx, user.id, sha256Hex(token), passwordHash, sealed ? { sealed, step: step! } : null))) return false;
    await insertAudit(trx, { ...auditActor(user), action: 'user.setup', target: null, ip: input.ip, at: deps.clock.now(), details: { totp: enrolling } });
    return true;
  });
  if (!done) return { ok: false, problems: { link: 'link_spent' } };
  return { ok: true, session: await startSession(deps, { ...user, sealedTotpSecret: sealed }, input.ip, false, 'password') };
}

/** A signed-in user enrols (or replaces) an authenticator by typing its first code, spent as a sign-in's is. */
export async function enrolTotp(deps: Pick<Deps, 'db' | 'clock' | 'config'>, session: Session, secret: string, code: string, ip: string | null): Promise<boolean> {
  const step = await totpStep(secret, code.trim(), deps.clock.now());
  if (step === undefined) return false;
  return inTransaction(deps.db, async (trx) => {
    if (!(await users.setTotpSecret(trx, session.user.id, sealIn(deps.config, secret, placeOf.totpSecret(session.user.id)), step))) return false;
    await insertAudit(trx, { ...auditActor(session.user), action: 'user.totp_enrolled', target: null, ip, at: deps.clock.now() });
    return true;
  });
}
