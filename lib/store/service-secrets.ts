import { queryOne, type Db } from './db.js';

/**
 * The service's own secret called `name`: the first instance to ask stores `candidate`, every
 * other instance (and every restart) reads that one back.
 */
export async function keepServiceSecret(db: Db, name: string, candidate: string): Promise<string> {
  const row = await queryOne<{ value: string }>(
    db,
    `with inserted as (insert into service_secrets (name, value) values (?, ?) on conflict (name) do nothing returning value)
     select value from inserted union all select value from service_secrets where name = ? limit 1`,
    [name, candidate, name],
  );
  return row!.value;
}
