import { query, queryOne, type Db } from '../postgres/db.js';
import type { Minor } from '../domain/money.js';
import type { Hold } from '../domain/ledger.js';

const COLUMNS = `id, key, purse, amount, status, captured_amount as "capturedAmount", transfer_id as "transferId",
  created_at as "createdAt", expires_at as "expiresAt", settled_at as "settledAt"`;

export async function insertHoldOnce(
  db: Db,
  h: { id: string; key: string; purse: string; amount: Minor; createdAt: Date; expiresAt: Date },
): Promise<Hold | undefined> {
  return queryOne(db,
    `insert into holds (id, key, purse, amount, status, created_at, expires_at) values (?, ?, ?, ?, 'active', ?, ?)
     on conflict (key) do nothing returning ${COLUMNS}`,
    [h.id, h.key, h.purse, h.amount, h.createdAt, h.expiresAt],
  );
}

export async function findHoldByKey(db: Db, key: string): Promise<Hold | undefined> {
  return queryOne(db, `select ${COLUMNS} from holds where key = ?`, [key]);
}

export async function lockHold(db: Db, id: string): Promise<Hold | undefined> {
  return queryOne(db, `select ${COLUMNS} from holds where id = ? for update`, [id]);
}

export async function markHoldCaptured(db: Db, id: string, capturedAmount: Minor, transferId: bigint, at: Date): Promise<void> {
  await query(db,
    `update holds set status = 'captured', captured_amount = ?, transfer_id = ?, settled_at = ? where id = ? and status = 'active'`,
    [capturedAmount, transferId, at, id],
  );
}

export async function markHoldReleased(db: Db, id: string, at: Date): Promise<void> {
  await query(db, `update holds set status = 'released', settled_at = ? where id = ? and status = 'active'`, [at, id]);
}
