import { query, queryOne, type Db } from '../postgres/db.js';
import type { IdempotencyRecord } from '../domain/request-key.js';

const COLUMNS = `fingerprint, state, status_code as "statusCode", response_body as "responseBody", locked_until as "lockedUntil", expires_at as "expiresAt"`;

/**
 * Claims the key for this request: a new key, an expired one, or one whose holder died in flight
 * (lock lapsed) is taken; otherwise the existing row comes back for the caller to judge.
 */
export async function claimKey(
  db: Db,
  k: { owner: string; key: string; fingerprint: string; now: Date; lockedUntil: Date; expiresAt: Date },
): Promise<{ claimed: true } | { claimed: false; existing: IdempotencyRecord }> {
  const claimed = await queryOne(
    db,
    `insert into idempotency_keys (owner, key, fingerprint, state, created_at, locked_until, expires_at)
     values (?, ?, ?, 'in_flight', ?, ?, ?)
     on conflict (owner, key) do update set fingerprint = excluded.fingerprint, state = 'in_flight', status_code = null,
       response_body = null, created_at = excluded.created_at, locked_until = excluded.locked_until, expires_at = excluded.expires_at
     where idempotency_keys.expires_at <= excluded.created_at
        or (idempotency_keys.state = 'in_flight' and idempotency_keys.locked_until <= excluded.created_at
            and idempotency_keys.fingerprint = excluded.fingerprint)
     returning 1`,
    [k.owner, k.key, k.fingerprint, k.now, k.lockedUntil, k.expiresAt],
  );
  if (claimed) return { claimed: true };
  const existing = await queryOne<IdempotencyRecord>(db, `select ${COLUMNS} from idempotency_keys where owner = ? and key = ?`, [k.owner, k.key]);
  if (!existing) return claimKey(db, k); // it expired and was purged between the two statements
  return { claimed: false, existing };
}

export async function completeKey(db: Db, owner: string, key: string, statusCode: number, body: unknown): Promise<void> {
  await query(
    db,
    `update idempotency_keys set state = 'done', status_code = ?, response_body = ?::jsonb where owner = ? and key = ?`,
    [statusCode, JSON.stringify(body ?? null), owner, key],
  );
}

/** A request that ended in a server error leaves no trace: the client may retry it with the same key. */
export async function releaseKey(db: Db, owner: string, key: string): Promise<void> {
  await query(db, `delete from idempotency_keys where owner = ? and key = ? and state = 'in_flight'`, [owner, key]);
}

export async function purgeExpiredKeys(db: Db, now: Date): Promise<number> {
  const rows = await query(db, `delete from idempotency_keys where expires_at <= ? returning 1`, [now]);
  return rows.length;
}
