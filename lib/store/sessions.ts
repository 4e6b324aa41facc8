import { query, queryOne, type Db } from '../postgres/db.js';
import type { UserId } from '../domain/ids.js';
import type { SignedInWith, UserSession } from '../domain/user.js';

const COLUMNS = `token_hash as "tokenHash", user_id as "userId", csrf_token as "csrfToken", second_factor_due as "secondFactorDue",
  created_at as "createdAt", last_seen_at as "lastSeenAt", signed_in_with as "signedInWith"`;

export async function insertSession(db: Db, s: Omit<UserSession, 'lastSeenAt' | 'signedInWith'> & { ip: string | null; signedInWith?: SignedInWith }): Promise<void> {
  await query(db,
    `insert into sessions (token_hash, user_id, csrf_token, second_factor_due, created_at, last_seen_at, ip, signed_in_with) values (?, ?, ?, ?, ?, ?, ?, ?)`,
    [s.tokenHash, s.userId, s.csrfToken, s.secondFactorDue, s.createdAt, s.createdAt, s.ip, s.signedInWith ?? null]);
}

export async function findSession(db: Db, tokenHash: string): Promise<UserSession | undefined> {
  return queryOne(db, `select ${COLUMNS} from sessions where token_hash = ?`, [tokenHash]);
}

export async function touchSession(db: Db, tokenHash: string, at: Date): Promise<void> {
  await query(db, `update sessions set last_seen_at = ? where token_hash = ?`, [at, tokenHash]);
}

export async function passSecondFactor(db: Db, tokenHash: string, at: Date): Promise<void> {
  await query(db, `update sessions set second_factor_due = false, last_seen_at = ? where token_hash = ?`, [at, tokenHash]);
}

export async function deleteSession(db: Db, tokenHash: string): Promise<void> {
  await query(db, `delete from sessions where token_hash = ?`, [tokenHash]);
}

/** Sessions idle since before `idleSince`: over already. */
export async function deleteLapsed(db: Db, idleSince: Date): Promise<number> {
  return (await query(db, `delete from sessions where last_seen_at < ? returning 1`, [idleSince])).length;
}

/** Every session of a user ends (but `keep`, the one making the change, if given). */
export async function deleteUserSessions(db: Db, userId: UserId, keep?: string): Promise<number> {
  const rows = await query(db, `delete from sessions where user_id = ? and token_hash <> ? returning 1`, [userId, keep ?? '']);
  return rows.length;
}

/** When each of these sessions was last seen; a session signed out (its row gone) is missing. */
export async function listSessionsSeen(db: Db, tokenHashes: string[]): Promise<{ tokenHash: string; lastSeenAt: Date }[]> {
  return query(db, `select token_hash as "tokenHash", last_seen_at as "lastSeenAt" from sessions where token_hash = any(?)`, [tokenHashes]);
}
