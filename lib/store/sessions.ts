import { query, queryOne, type Db } from '../postgres/db.js';
import type { UserId } from '../domain/ids.js';
import type { SignedInWith, User, UserSession } from '../domain/user.js';
import type { MerchantStatus } from '../domain/merchant.js';
import type { Mode } from '../domain/ledger.js';
import { COLUMNS as USER_COLUMNS } from './users.js';

export async function insertSession(db: Db, s: Omit<UserSession, 'lastSeenAt' | 'signedInWith'> & { ip: string | null; signedInWith?: SignedInWith }): Promise<void> {
  await query(db,
    `insert into sessions (token_hash, user_id, csrf_token, second_factor_due, created_at, last_seen_at, ip, signed_in_with) values (?, ?, ?, ?, ?, ?, ?, ?)`,
    [s.tokenHash, s.userId, s.csrfToken, s.secondFactorDue, s.createdAt, s.createdAt, s.ip, s.signedInWith ?? null]);
}

/** The session, its user and the user's merchant's standing in one round trip: every signed-in request starts here. */
export async function findSessionWithUser(db: Db, tokenHash: string): Promise<{ session: UserSession; user: User; merchant: { status: MerchantStatus; mode: Mode } | null } | undefined> {
  const row = await queryOne<UserSession & User & { sessionCreatedAt: Date; merchantStatus: MerchantStatus | null; merchantMode: Mode | null }>(db,
    `select s.token_hash as "tokenHash", s.user_id as "userId", s.csrf_token as "csrfToken", s.second_factor_due as "secondFactorDue",
       s.created_at as "sessionCreatedAt", s.last_seen_at as "lastSeenAt", s.signed_in_with as "signedInWith",
       m.status as "merchantStatus", m.mode as "merchantMode", ${USER_COLUMNS}
     from sessions s join users u on u.id = s.user_id left join merchants m on m.id = u.merchant_id
     where s.token_hash = ?`, [tokenHash]);
  if (!row) return undefined;
  const { tokenHash: hash, userId, csrfToken, secondFactorDue, sessionCreatedAt, lastSeenAt, signedInWith, merchantStatus, merchantMode, ...user } = row;
  return {
    session: { tokenHash: hash, userId, csrfToken, secondFactorDue, createdAt: sessionCreatedAt, lastSeenAt, signedInWith },
    user,
    merchant: merchantStatus && merchantMode ? { status: merchantStatus, mode: merchantMode } : null,
  };
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
