import { queryOne, type Db } from '../postgres/db.js';

/**
 * The service's own secret called `name`: the first instance to ask stores `candidate`, every
 * other instance (and every restart) reads that one back.
 */
export async function keepServiceSecret(db: Db, name: string, candidate: string): Promise<string> {
  const inserted = await queryOne<{ value: string }>(
    db,
    'insert into service_secrets (name, value) values (?, ?) on conflict (name) do nothing returning value',
    [name, candidate],
  );
  if (inserted) return inserted.value;
  // Another instance stored it. Read it in a statement of its own: when the two inserts raced, ours
  // waited for the other's commit, but a select inside the same statement would still use the
  // snapshot taken before that commit and find nothing.
  const kept = await queryOne<{ value: string }>(db, 'select value from service_secrets where name = ?', [name]);
  if (!kept) throw new Error(`the service secret ${name} was neither stored nor found`);
  return kept.value;
}
