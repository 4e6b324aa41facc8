import assert from 'node:assert/strict';
import { connect, migrateLatest, migrateRollbackAll, query, type Knex } from '../../lib/store/db.js';
import { ensureDatabase, dropDatabase } from '../../lib/store/database-admin.js';
import { testServerUrl } from '../helpers/database.js';

async function tables(db: Knex): Promise<string[]> {
  const rows = await query<{ table_name: string }>(
    db,
    `select table_name from information_schema.tables where table_schema = 'public' and table_name not like 'knex%' order by 1`,
  );
  return rows.map((r) => r.table_name);
}

describe('migrations', () => {
  const name = `telepurse_migrations_${process.pid}`;
  let db: Knex;

  before(async () => {
    await dropDatabase(testServerUrl(), name);
    db = connect(await ensureDatabase(testServerUrl(), name), 2);
  });
  after(async () => {
    await db.destroy();
    await dropDatabase(testServerUrl(), name);
  });

  it('go up, all the way down, and up again on an empty database', async () => {
    const applied = await migrateLatest(db);
    assert.ok(applied.length > 0);
    const first = await tables(db);
    assert.ok(first.includes('wallets') && first.includes('postings'));

    await migrateRollbackAll(db);
    assert.deepEqual(await tables(db), []);

    const reapplied = await migrateLatest(db);
    assert.deepEqual(reapplied, applied);
    assert.deepEqual(await tables(db), first);
  });
});
