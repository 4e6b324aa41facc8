import type { Deps } from './deps.js';
import { ping } from '../store/db.js';

/** /ready: whether the database answers within the timeout and takes writes (a primary). */
export async function databaseAnswers(deps: Pick<Deps, 'db'>): Promise<boolean> {
  return ping(deps.db).then(() => true, () => false);
}
