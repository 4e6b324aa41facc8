import type { Deps } from './deps.js';
import { dumpSchema } from '../store/schema-dump.js';

/** The schema of the database as text, for the committed snapshot (migrations/schema.sql). */
export function describeSchema(deps: Pick<Deps, 'db'>): Promise<string> {
  return dumpSchema(deps.db);
}
