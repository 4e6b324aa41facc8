import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Deps } from '../shared/deps.js';
import * as users from '../../store/users.js';
import * as sessions from '../../store/sessions.js';
import { insertAudit } from '../../store/audit-log.js';
import { openIn, placeOf } from '../../notify/keyring.js';
import { sha256Hex } from '../../domain/secrets.js';
import * as tries from '../../store/sign-in-tries.js';
import { sessionExpired, type Audience, type SignedInWith, type User, type UserSession } from '../../domain/user.js';
import { LOGIN_FAILURE_LIMIT, LOGIN_WINDOW_MS, LOGIN_LOCK_MS } from '../../domain/limits.js';
import { totpStep } from '../../domain/totp.js';
import type { Mode } from '../../domain/ledger.js';

export type SignedIn = { token: string; secondFactorDue: boolean };
export type SignInOutcome = { ok: true; session: SignedIn } | { ok: false; reason: 'wrong' | 'locked'; lockedUntil?: Date };
/** `merchant`: an office user's merchant, read with the session (docs/merchant-guide.md#back-office: suspended means read only); null for other audiences. */
export type Session<U extends User = User> = UserSession & { user: U; merchant: { suspended: boolean; mode: Mode } | null };

// verified when the e-mail is unknown, so a wrong e-mail costs the same time as a wrong password
let dummyHash: Promise<string> | undefined;

/** Who the audit names: the user, its audience and its merchant (office users only). */
export function auditActor(user: User) {
  return { audience: user.audience, merchantId: user.merchantId, userId: user.id, email: user.email };
}

/** Sign-in tries are counted per audience and e-mail; the office's keys are the bare e-mail, as before the console existed. */
export function triesKey(audience: Audience, email: string): string {
  return audience === 'office' ? email : `${audience}:${email}`;
}

/**
 * Password sign-in of the office or the console (docs/merchant-guide.md#back-office). Five failures of one e-mail in 15 minutes lock it for 15 minutes,
 * known e-mail or not, and the answer never says whether the e-mail exists (a disabled user's is
 * answered as unknown). The try is counted before the password is checked, so a burst of parallel
 * tries gets no more checks than the limit; a right one is given back.
 */
export async function signIn(deps: Pick<Deps, 'db' | 'clock'>, audience: Audience, input: { email: string; password: string; ip: string | null }): Promise<SignInOutcome> {
  const now = deps.clock.now();
  const key = triesKey(audience, input.email);
  const refused = await takeTry(deps, key, now);
  if (refused) return refused;
  const user = await users.findUserByEmail(deps.db, audience, input.email);
  const stored = user?.passwordHash ?? (await (dummyHash ??= hash(randomBytes(16).toString('hex'))));
  const matches = await verify(stored, input.password).catch(() => false);
  if (!user?.passwordHash || !matches) return failed(deps, key, input.ip, user, now);
  await giveBackTry(deps, key, now);
  const session = await startSession(deps, user, input.ip, user.sealedTotpSecret !== null, 'password');
  await insertAudit(deps.db, { ...auditActor(user), action: 'sign_in', target: null, ip: input.ip, at: now, details: { second_factor_due: session.secondFactorDue } });
  return { ok: true, session };
}

/** The authenticator code after the password, counted as the password is; its time step signs in once. */
export async function passSecondFactor(deps: Pick<Deps, 'db' | 'clock' | 'config'>, session: Session, code: string, ip: string | null): Promise<SignInOutcome> {
  const now = deps.clock.now();
  const key = triesKey(session.user.audience, session.user.email ?? session.user.id);
  const refused = await takeTry(deps, key, now);
  if (refused) return refused;
  const secret = session.user.sealedTotpSecret ? openIn(deps.config, session.user.sealedTotpSecret, placeOf.totpSecret(session.user.id)) : undefined;
  const step = secret ? await totpStep(secret, code.trim(), now) : undefined;
  if (step === undefined || !(await users.spendTotpStep(deps.db, session.user.id, step))) return failed(deps, key, ip, session.user, now);
  await giveBackTry(deps, key, now);
  await sessions.passSecondFactor(deps.db, session.tokenHash, now);
  return { ok: true, session: { token: '', secondFactorDue: false } };
}

/** Counts a try of the key (triesKey) before its check; the refusal when it is locked (or its window is full of tries being checked). */
export async function takeTry(deps: Pick<Deps, 'db'>, key: string, now: Date): Promise<Extract<SignInOutcome, { ok: false }> | undefined> {
  const lockEnd = new Date(now.getTime() + LOGIN_LOCK_MS);
  const taken = await tries.takeTry(deps.db, { key, now, since: new Date(now.getTime() - LOGIN_WINDOW_MS), lockEnd, limit: LOGIN_FAILURE_LIMIT });
  return taken.taken ? undefined : { ok: false, reason: 'locked', lockedUntil: taken.lockedUntil ?? lockEnd };
}

/** A try that was right counts as no failure. */
export function giveBackTry(deps: Pick<Deps, 'db'>, key: string, at: Date): Promise<void> {
  return tries.giveBackTry(deps.db, { key, at, since: new Date(at.getTime() - LOGIN_WINDOW_MS), limit: LOGIN_FAILURE_LIMIT });
}

async function failed(deps: Pick<Deps, 'db' | 'clock'>, key: string, ip: string | null, user: User | undefined, at: Date): Promise<SignInOutcome> {
  if (user) await insertAudit(deps.db, { ...auditActor(user), action: 'sign_in_failed', target: null, ip, at });
  const lockedUntil = await tries.lockedUntil(deps.db, key, deps.clock.now());
  return lockedUntil ? { ok: false, reason: 'locked', lockedUntil } : { ok: false, reason: 'wrong' };
}

export async function startSession(deps: Pick<Deps, 'db' | 'clock'>, user: User, ip: string | null, secondFactorDue: boolean, signedInWith?: SignedInWith): Promise<SignedIn> {
  const token = randomBytes(32).toString('base64url');
  await sessions.insertSession(deps.db, {
    tokenHash: sha256Hex(token), userId: user.id, csrfToken: randomBytes(24).toString('base64url'), secondFactorDue, createdAt: deps.clock.now(), ip, signedInWith,
  });
  return { token, secondFactorDue };
}

/** The session of a cookie of the audience, unless it idled for 30 minutes (then it is deleted); "last seen" is kept to the minute. */
export async function readSession(deps: Pick<Deps, 'db' | 'clock'>, audience: Audience, token: string | undefined): Promise<Session | undefined> {
  if (!token || !/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
  const tokenHash = sha256Hex(token);
  const found = await sessions.findSessionWithUser(deps.db, tokenHash);
  if (!found) return undefined;
  const { session, user, merchant } = found;
  const now = deps.clock.now();
  if (sessionExpired(session.lastSeenAt, now)) {
    await sessions.deleteSession(deps.db, tokenHash);
    return undefined;
  }
  // a cookie of one audience never opens another's pages, whatever path it was sent to
  if (user.disabledAt || user.audience !== audience) return undefined;
  if (now.getTime() - session.lastSeenAt.getTime() >= 60_000) await sessions.touchSession(deps.db, tokenHash, now);
  return { ...session, user, merchant: merchant && { suspended: merchant.status === 'suspended', mode: merchant.mode } };
}

export async function signOut(deps: Pick<Deps, 'db' | 'clock'>, session: Session, ip: string | null): Promise<void> {
  await sessions.deleteSession(deps.db, session.tokenHash);
  await insertAudit(deps.db, { ...auditActor(session.user), action: 'sign_out', target: null, ip, at: deps.clock.now() });
}
