import type { Deps } from '../shared/deps.js';
import { listSessionsSeen } from '../../store/sessions.js';
import { SESSION_IDLE_MS } from '../../domain/user.js';

/**
 * When each of these back-office sessions lapses (30 minutes idle), as epoch ms; a session that ended
 * (signed out, its user disabled, its password changed: its row deleted) is missing. Something that
 * outlives a request of its session (an open event stream) asks this before it goes on.
 *
 * A session ends everywhere by deleting its row: the trigger of migration 20261206100100 announces
 * it to every instance (watchPaymentChanges' `onSessionEnd`), which ends its open streams at once.
 */
export async function sessionsLapsingAt(deps: Pick<Deps, 'db'>, tokenHashes: string[]): Promise<Map<string, number>> {
  const rows = tokenHashes.length ? await listSessionsSeen(deps.db, tokenHashes) : [];
  return new Map(rows.map((r) => [r.tokenHash, r.lastSeenAt.getTime() + SESSION_IDLE_MS]));
}
