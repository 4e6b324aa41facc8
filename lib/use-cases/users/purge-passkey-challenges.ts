import type { Deps } from '../shared/deps.js';
import { deleteExpiredChallenges } from '../../store/passkeys.js';

/** Passkey challenges are of no use once expired: an hourly sweep keeps the table small (a replay finds no row, and is refused the same). */
export function purgePasskeyChallenges(deps: Pick<Deps, 'db' | 'clock'>): Promise<number> {
  return deleteExpiredChallenges(deps.db, deps.clock.now());
}
