import type { Deps } from '../shared/deps.js';
import * as counters from '../../store/rate-counters.js';
import * as sessions from '../../store/sessions.js';
import { deleteLapsedTries } from '../../store/sign-in-tries.js';
import { deletePaymentlessWrongTriesBefore, deleteSentBefore } from '../../store/sign-in-codes.js';
import { DAY_MS } from '../../domain/time.js';
import { deleteSpentBefore } from '../../store/action-tokens.js';
import { ACTION_TOKENS_KEPT_MS } from '../../domain/action-token.js';
import { SESSION_IDLE_MS } from '../../domain/user.js';
import { LOGIN_LOCK_MS, LOGIN_WINDOW_MS } from '../../domain/limits.js';

/**
 * The tables of abuse limits and sessions only grow otherwise: one counter per client address ever seen, one row per
 * e-mail tried at sign-in, sessions nobody reads again once idle, /me sign-in codes and their wrong tries. Safe on
 * several instances at once (plain deletes of rows that no longer count).
 */
export async function purgeLapsedLimits(deps: Pick<Deps, 'db' | 'clock'>) {
  const now = deps.clock.now().getTime();
  const removedCounters = await counters.deleteLapsed(deps.db, new Date(now - DAY_MS));
  const removedSessions = await sessions.deleteLapsed(deps.db, new Date(now - SESSION_IDLE_MS));
  const failures = await deleteLapsedTries(deps.db, new Date(now - LOGIN_WINDOW_MS - LOGIN_LOCK_MS));
  // spent one-time form tokens, once no form could carry them any more
  const actionTokens = await deleteSpentBefore(deps.db, new Date(now - ACTION_TOKENS_KEPT_MS));
  // /me sign-in codes and their wrong tries (no payment keeps them): gone once past the longest window that counts them, a day
  const lapsed = new Date(now - 2 * DAY_MS);
  const signInCodes = await batches((limit) => deleteSentBefore(deps.db, lapsed, limit));
  const wrongTries = await batches((limit) => deletePaymentlessWrongTriesBefore(deps.db, lapsed, limit));
  return { counters: removedCounters, sessions: removedSessions, failures, actionTokens, signInCodes, wrongTries };
}

/** Deletes in batches of 1,000 (short statements, no long lock) until a batch comes back short. */
async function batches(run: (limit: number) => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await run(1000);
    total += n;
    if (n < 1000) return total;
  }
}
