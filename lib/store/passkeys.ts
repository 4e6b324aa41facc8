import { query, queryOne, type Db } from '../postgres/db.js';
import type { UserId } from '../domain/ids.js';
import type { Audience } from '../domain/user.js';
import type { Passkey, PasskeyChallenge, ChallengePurpose } from '../domain/passkey.js';

const COLUMNS = `id::text as id, user_id as "userId", credential_id as "credentialId", public_key as "publicKey", counter::float8 as counter,
  transports, created_at as "createdAt", last_used_at as "lastUsedAt"`;
const CHALLENGE_COLUMNS = `challenge_hash as "challengeHash", purpose, audience, user_id as "userId", payment_id as "paymentId", nonce,
  created_at as "createdAt", expires_at as "expiresAt", spent_at as "spentAt"`;

/** Nothing comes back when the credential is registered already (to anyone). */
export async function insertPasskey(db: Db, p: { userId: UserId; credentialId: string; publicKey: Uint8Array; counter: number; transports: string[]; createdAt: Date }): Promise<Passkey | undefined> {
  return queryOne<Passkey>(db,
    `insert into passkeys (user_id, credential_id, public_key, counter, transports, created_at) values (?, ?, ?, ?, ?::text[], ?)
     on conflict (credential_id) do nothing returning ${COLUMNS}`,
    [p.userId, p.credentialId, Buffer.from(p.publicKey), p.counter, p.transports, p.createdAt]);
}

export async function listPasskeys(db: Db, userId: UserId): Promise<Passkey[]> {
  return query<Passkey>(db, `select ${COLUMNS} from passkeys where user_id = ? order by created_at, id`, [userId]);
}

/** The credential of an assertion, its row locked: two assertions of one credential are checked one after the other. */
export async function lockPasskeyByCredential(db: Db, credentialId: string): Promise<Passkey | undefined> {
  return queryOne<Passkey>(db, `select ${COLUMNS} from passkeys where credential_id = ? for update`, [credentialId]);
}

export async function recordUse(db: Db, id: string, counter: number, at: Date): Promise<void> {
  await query(db, `update passkeys set counter = ?, last_used_at = ? where id = ?`, [counter, at, id]);
}

/** Removes one of the user's passkeys; false when it is not theirs (or gone). */
export async function deletePasskey(db: Db, userId: UserId, id: string): Promise<boolean> {
  if (!/^[0-9]{1,18}$/.test(id)) return false;
  return (await query(db, `delete from passkeys where user_id = ? and id = ? returning id`, [userId, id])).length === 1;
}

/** Serializes the changes of one user's passkeys (the last one is removed only on a fresh sign-in). */
export async function lockUser(db: Db, userId: UserId): Promise<void> {
  await query(db, `select id from users where id = ? for update`, [userId]);
}

export async function countPasskeys(db: Db, userId: UserId): Promise<number> {
  const row = await queryOne<{ n: number }>(db, `select count(*)::int as n from passkeys where user_id = ?`, [userId]);
  return row?.n ?? 0;
}

export async function insertChallenge(db: Db, c: { challengeHash: string; purpose: ChallengePurpose; audience?: Audience; userId?: UserId; paymentId?: string; nonce?: Uint8Array; createdAt: Date; expiresAt: Date }): Promise<void> {
  await query(db,
    `insert into passkey_challenges (challenge_hash, purpose, audience, user_id, payment_id, nonce, created_at, expires_at) values (?, ?, ?, ?, ?, ?, ?, ?)`,
    [c.challengeHash, c.purpose, c.audience ?? null, c.userId ?? null, c.paymentId ?? null, c.nonce ? Buffer.from(c.nonce) : null, c.createdAt, c.expiresAt]);
}

/** Spends a challenge once: only an unspent, unexpired one of this purpose comes back, and only to one caller. */
export async function spendChallenge(db: Db, challengeHash: string, purpose: ChallengePurpose, now: Date): Promise<PasskeyChallenge | undefined> {
  return queryOne<PasskeyChallenge>(db,
    `update passkey_challenges set spent_at = ? where challenge_hash = ? and purpose = ? and spent_at is null and expires_at > ? returning ${CHALLENGE_COLUMNS}`,
    [now, challengeHash, purpose, now]);
}

/** Challenges nobody answered, and answered ones, are of no use after they expire. */
export async function deleteExpiredChallenges(db: Db, before: Date): Promise<number> {
  return (await query(db, `delete from passkey_challenges where expires_at < ? returning 1`, [before])).length;
}
