import type { Deps } from './deps.js';
import type { Knex } from '../../postgres/db.js';
import * as tokens from '../../store/action-tokens.js';

/**
 * A one-time form token to spend with an action (docs/merchant-guide.md#back-office "Acting once"): `outcome` says where the
 * action's result is shown, from what it did. Spent in the action's own transaction, so the action
 * and its token commit together: a second post of the token acts no more, it is sent to the outcome.
 */
export type ActingOnce = { tokenHash: string; action: string; outcome: string | ((result: never) => string) };

export async function spendActionToken(deps: Pick<Deps, 'clock'>, trx: Knex.Transaction, once: ActingOnce, result: unknown): Promise<void> {
  const outcome = typeof once.outcome === 'function' ? once.outcome(result as never) : once.outcome;
  await tokens.insertSpentAction(trx, { tokenHash: once.tokenHash, action: once.action, outcome, spentAt: deps.clock.now() });
}

/** Where the action of a spent token showed its outcome; undefined while unspent. */
export async function spentActionOutcome(deps: Pick<Deps, 'db'>, tokenHash: string): Promise<string | undefined> {
  return (await tokens.findSpentAction(deps.db, tokenHash))?.outcome;
}

export const isSpentAlready = tokens.isSpentAlready;
