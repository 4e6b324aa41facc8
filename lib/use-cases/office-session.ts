import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Deps } from './deps.js';
import { inTransaction } from '../store/db.js';
import * as users from '../store/office-users.js';
import * as sessions from '../store/office-sessions.js';
import { insertAudit } from '../store/audit-log.js';
import { keyringFor } from '../notify/keyring.js';
import { open } from '../domain/sealed-secrets.js';
import { sha256Hex } from '../domain/secrets.js';
import { loginLockedUntil, sessionExpired, LOGIN_WINDOW_MS, LOGIN_LOCK_MS } from '../domain/office.js';
import { totpValid } from '../domain/totp.js';

export type SignedIn = { token: string; secondFactorDue: boolean };
export type SignInOutcome = { ok: true; session: SignedIn } | { ok: false; reason: 'wrong' | 'locked'; lockedUntil?: Date };
export type Session = sessions.SessionRow & { user: users.OfficeUserRow };

// verified when the e-mail is unknown, so a wrong e-mail costs the same time as a wrong password
let dummyHash: Promise<string> | undefined;

/**
 * Password sign-in (spec §12). Five failures of one e-mail in 15 minutes lock it for 15 minutes,
 * known e-mail or not, and the answer never says whether the e-mail exists.
 */
export async function signIn(deps: Pick<Deps, 'db' | 'clock'>, input: { email: string; password: string; ip: string | null }): Promise<SignInOutcome> {
  const now = deps.clock.now();
  const lockedUntil = await lockOf(deps, input.email, now);
  if (lockedUntil) return { ok: false, reason: 'locked', lockedUntil };
  const user = await users.findUserByEmail(deps.db, input.email);
  const stored = user?.passwordHash ?? (await (dummyHash ??= hash(randomBytes(16).toString('hex'))));
  const matches = await verify(stored, input.password).catch(() => false);
  if (!user?.passwordHash || !matches) return failed(deps, input.email, input.ip, user);
  const session = await startSession(deps, user, input.ip, user.sealedTotpSecret !== null);
  await insertAudit(deps.db, { merchantId: user.merchantId, userId: user.id, email: user.email, action: 'sign_in', target: null, ip: input.ip, at: now, details: { second_factor_due: session.secondFactorDue } });
  return { ok: true, session };
}

/** The authenticator code after the password; a wrong one counts as a failed sign-in of that e-mail. */
export async function passSecondFactor(deps: Pick<Deps, 'db' | 'clock' | 'config'>, session: Session, code: string, ip: string | null): Promise<SignInOutcome> {
  const now = deps.clock.now();
  const lockedUntil = await lockOf(deps, session.user.email, now);
  if (lockedUntil) return { ok: false, reason: 'locked', lockedUntil };
  const secret = session.user.sealedTotpSecret ? open(keyringFor(deps.config), session.user.sealedTotpSecret) : undefined;
  if (!secret || !(await totpValid(secret, code.trim(), now))) return failed(deps, session.user.email, ip, session.user);
  await sessions.passSecondFactor(deps.db, session.tokenHash, now);
  return { ok: true, session: { token: '', secondFactorDue: false } };
}

async function failed(deps: Pick<Deps, 'db' | 'clock'>, email: string, ip: string | null, user: users.OfficeUserRow | undefined): Promise<SignInOutcome> {
  const now = deps.clock.now();
  await inTransaction(deps.db, async (trx) => {
    await sessions.recordLoginFailure(trx, email, now, ip);
    if (user) await insertAudit(trx, { merchantId: user.merchantId, userId: user.id, email, action: 'sign_in_failed', target: null, ip, at: now });
  });
  const lockedUntil = await lockOf(deps, email, now);
  return lockedUntil ? { ok: false, reason: 'locked', lockedUntil } : { ok: false, reason: 'wrong' };
}

async function lockOf(deps: Pick<Deps, 'db'>, email: string, now: Date): Promise<Date | undefined> {
  const failures = await sessions.listLoginFailures(deps.db, email, new Date(now.getTime() - LOGIN_WINDOW_MS - LOGIN_LOCK_MS));
  return loginLockedUntil(failures, now);
}

export async function startSession(deps: Pick<Deps, 'db' | 'clock'>, user: users.OfficeUserRow, ip: string | null, secondFactorDue: boolean): Promise<SignedIn> {
  const token = randomBytes(32).toString('base64url');
  await sessions.insertSession(deps.db, {
    tokenHash: sha256Hex(token), userId: user.id, csrfToken: randomBytes(24).toString('base64url'), secondFactorDue, createdAt: deps.clock.now(), ip,
  });
  return { token, secondFactorDue };
}

/** The session of a cookie, unless it idled for 30 minutes (then it is deleted); "last seen" is kept to the minute. */
export async function readSession(deps: Pick<Deps, 'db' | 'clock'>, token: string | undefined): Promise<Session | undefined> {
  if (!token || !/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
  const tokenHash = sha256Hex(token);
  const session = await sessions.findSession(deps.db, tokenHash);
  if (!session) return undefined;
  const now = deps.clock.now();
  if (sessionExpired(session.lastSeenAt, now)) {
    await sessions.deleteSession(deps.db, tokenHash);
    return undefined;
  }
  const user = await users.findUser(deps.db, session.userId);
  if (!user) return undefined;
  if (now.getTime() - session.lastSeenAt.getTime() >= 60_000) await sessions.touchSession(deps.db, tokenHash, now);
  return { ...session, user };
}

export async function signOut(deps: Pick<Deps, 'db' | 'clock'>, session: Session, ip: string | null): Promise<void> {
  await sessions.deleteSession(deps.db, session.tokenHash);
  await insertAudit(deps.db, { merchantId: session.user.merchantId, userId: session.user.id, email: session.user.email, action: 'sign_out', target: null, ip, at: deps.clock.now() });
}
