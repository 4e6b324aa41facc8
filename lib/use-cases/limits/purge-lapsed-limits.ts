import type { Deps } from '../shared/deps.js';
import * as counters from '../../store/rate-counters.js';
import * as sessions from '../../store/sessions.js';
import { deleteLapsedTries } from '../../store/sign-in-tries.js';
import { DAY_MS } from '../../domain/time.js';
import { deleteSpentBefore } from '../../store/action-tokens.js';
import { ACTION_TOKENS_KEPT_MS } from '../../domain/action-token.js';
import { SESSION_IDLE_MS } from '../../domain/user.js';
import { LOGIN_LOCK_MS, LOGIN_WINDOW_MS } from '../../domain/limits.js';

/**
 * The tables of abuse limits and back-office sessions only grow otherwise: one counter per client
 * address ever seen, one row per e-mail tried at sign-in, sessions nobody reads again once idle. Safe on
 * several instances at once (plain deletes of rows that no longer count).
 */
export async function purgeLapsedLimits(deps: Pick<Deps, 'db' | 'clock'>) {
  const now = deps.clock.now().getTime();
  const removedCounters = await counters.deleteLapsed(deps.db, new Date(now - DAY_MS));
  const removedSessions = await sessions.deleteLapsed(deps.db, new Date(now - SESSION_IDLE_MS));
  const failures = await deleteLapsedTries(deps.db, new Date(now - LOGIN_WINDOW_MS - LOGIN_LOCK_MS));
  // spent one-time form tokens, once no form could carry them any more
  const actionTokens = await deleteSpentBefore(deps.db, new Date(now - ACTION_TOKENS_KEPT_MS));
  return { counters: removedCounters, sessions: removedSessions, failures, actionTokens };
}
