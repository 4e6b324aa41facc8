import { query, queryOne, type Db } from './db.js';
import type { UserId } from '../domain/ids.js';

export type SessionRow = { tokenHash: string; userId: UserId; csrfToken: string; secondFactorDue: boolean; createdAt: Date; lastSeenAt: Date };

const COLUMNS = `token_hash as "tokenHash", user_id as "userId", csrf_token as "csrfToken", second_factor_due as "secondFactorDue",
  created_at as "createdAt", last_seen_at as "lastSeenAt"`;

export async function insertSession(db: Db, s: Omit<SessionRow, 'lastSeenAt'> & { ip: string | null }): Promise<void> {
  await query(db,
    `insert into office_sessions (token_hash, user_id, csrf_token, second_factor_due, created_at, last_seen_at, ip) values (?, ?, ?, ?, ?, ?, ?)`,
    [s.tokenHash, s.userId, s.csrfToken, s.secondFactorDue, s.createdAt, s.createdAt, s.ip]);
}

export async function findSession(db: Db, tokenHash: string): Promise<SessionRow | undefined> {
  return queryOne(db, `select ${COLUMNS} from office_sessions where token_hash = ?`, [tokenHash]);
}

export async function touchSession(db: Db, tokenHash: string, at: Date): Promise<void> {
  await query(db, `update office_sessions set last_seen_at = ? where token_hash = ?`, [at, tokenHash]);
}

export async function passSecondFactor(db: Db, tokenHash: string, at: Date): Promise<void> {
  await query(db, `update office_sessions set second_factor_due = false, last_seen_at = ? where token_hash = ?`, [at, tokenHash]);
}

export async function deleteSession(db: Db, tokenHash: string): Promise<void> {
  await query(db, `delete from office_sessions where token_hash = ?`, [tokenHash]);
}

export async function recordLoginFailure(db: Db, email: string, at: Date, ip: string | null): Promise<void> {
  await query(db, `insert into office_login_failures (email, at, ip) values (?, ?, ?)`, [email, at, ip]);
}

/** Failures of an e-mail since `since`, oldest first. */
export async function listLoginFailures(db: Db, email: string, since: Date): Promise<Date[]> {
  const rows = await query<{ at: Date }>(db, `select at from office_login_failures where email = ? and at > ? order by at`, [email, since]);
  return rows.map((r) => r.at);
}

/** Sessions idle since before `idleSince` (over already) and sign-in failures older than any lock could look back. */
export async function deleteLapsed(db: Db, idleSince: Date, failuresBefore: Date): Promise<{ sessions: number; failures: number }> {
  const sessions = await query(db, `delete from office_sessions where last_seen_at < ? returning 1`, [idleSince]);
  const failures = await query(db, `delete from office_login_failures where at < ? returning 1`, [failuresBefore]);
  return { sessions: sessions.length, failures: failures.length };
}
