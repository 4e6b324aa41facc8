import { query, queryOne, type Db } from '../postgres/db.js';
import type { Minor } from '../domain/money.js';
import type { Hold } from '../domain/ledger.js';

const COLUMNS = `id, key, purse, amount, status, captured_amount as "capturedAmount", transfer_id as "transferId",
  created_at as "createdAt", expires_at as "expiresAt", settled_at as "settledAt"`;

/** One call of tp_hold (migrations/20261208100000_ledger_functions.ts): lock, check, reserve. */
export async function callHold(
  db: Db, h: { id: string; key: string; purse: string; amount: Minor; currency: string; mode: string; at: Date; expiresAt: Date },
): Promise<{ holdId: string | null; replayed: boolean; refusal: string | null }> {
  return (await queryOne<{ holdId: string | null; replayed: boolean; refusal: string | null }>(db,
    `select hold_id as "holdId", replayed, refusal from tp_hold(?, ?, ?, ?, ?, ?, ?, ?)`,
    [h.id, h.key, h.purse, h.amount, h.currency, h.mode, h.at, h.expiresAt]))!;
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
