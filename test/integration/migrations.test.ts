import assert from 'node:assert/strict';
import { connect, migrateLatest, migrateRollbackAll, query, type Knex } from '../../lib/postgres/db.js';
import { ensureDatabase, dropDatabase } from '../../lib/postgres/database-admin.js';
import { testServerUrl } from '../helpers/database.js';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { MIGRATIONS_DIR } from '../../lib/postgres/db.js';
import { MigrationFolder } from '../../lib/postgres/migration-source.js';

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

  it('instances starting together on an empty database: every one starts, and each migration runs once', async () => {
    const together = `telepurse_migrations_together_${process.pid}`;
    await dropDatabase(testServerUrl(), together);
    const url = await ensureDatabase(testServerUrl(), together);
    // one pool per instance, as separate processes would have
    const instances = Array.from({ length: 4 }, () => connect(url, 2));
    try {
      const applied = await Promise.all(instances.map((d) => migrateLatest(d)));
      const all = applied.flat();
      assert.ok(all.length > 0);
      assert.equal(new Set(all).size, all.length, 'no migration ran twice');
      assert.deepEqual([...all].sort(), (await new MigrationFolder(MIGRATIONS_DIR).getMigrations()).map((m) => m.file).sort(), 'every migration ran');
      assert.deepEqual(await Promise.all(instances.map((d) => migrateLatest(d))), instances.map(() => []), 'after that nothing is pending');
      // a migrator killed midway leaves knex's lock row set: the next start is not refused for it
      await instances[0]!.raw('update knex_migrations_lock set is_locked = 1');
      assert.deepEqual(await migrateLatest(instances[1]!), []);
    } finally {
      await Promise.all(instances.map((d) => d.destroy()));
      await dropDatabase(testServerUrl(), together);
    }
  });

  it('a database migrated from the TypeScript sources (npm start) is current for the compiled migrations (npm run start:dist)', async () => {
    await migrateLatest(db);
    // dist/migrations as `npm run build` makes it: each migration compiled to JavaScript
    const dist = mkdtempSync(path.join(os.tmpdir(), 'telepurse-dist-migrations-'));
    try {
      for (const file of readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.ts'))) {
        const js = ts.transpileModule(readFileSync(path.join(MIGRATIONS_DIR, file), 'utf8'), { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
        writeFileSync(path.join(dist, file.replace(/\.ts$/, '.js')), js);
      }
      const [done, pending] = (await db.migrate.list({ migrationSource: new MigrationFolder(dist) })) as [unknown[], unknown[]];
      assert.equal(pending.length, 0, 'nothing to run');
      assert.equal(done.length, readdirSync(dist).length, 'every compiled migration is one the database has');
      assert.deepEqual((await db.migrate.latest({ migrationSource: new MigrationFolder(dist) }))[1], [], 'and nothing runs');
      // what knex's own listing made of the same folder: the names differ by their extension
      await assert.rejects(db.migrate.latest({ directory: dist, loadExtensions: ['.js'] }), /corrupt/);
    } finally {
      rmSync(dist, { recursive: true, force: true });
    }
  });
});
