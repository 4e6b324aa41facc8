import { query, queryOne, isUniqueViolation, type Db } from '../postgres/db.js';
import type { SpentAction } from '../domain/action-token.js';

/** In the transaction of the action: a second spend of the same token fails (see isSpentAlready). */
export async function insertSpentAction(db: Db, s: SpentAction): Promise<void> {
  await query(db, `insert into action_tokens (token_hash, action, outcome, spent_at) values (?, ?, ?, ?)`, [s.tokenHash, s.action, s.outcome, s.spentAt]);
}

export function isSpentAlready(err: unknown): boolean {
  return isUniqueViolation(err, 'action_tokens_pkey');
}

export async function findSpentAction(db: Db, tokenHash: string): Promise<SpentAction | undefined> {
  return queryOne(db, `select token_hash as "tokenHash", action, outcome, spent_at as "spentAt" from action_tokens where token_hash = ?`, [tokenHash]);
}

export async function deleteSpentBefore(db: Db, before: Date): Promise<number> {
  return (await query(db, `delete from action_tokens where spent_at < ? returning 1`, [before])).length;
}
