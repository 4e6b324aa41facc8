import { connect, migratorConfig, type Knex } from '../../lib/postgres/db.js';
import { ensureDatabase, dropDatabase } from '../../lib/postgres/database-admin.js';
import { testServerUrl } from './database.js';

/**
 * A database of its own for a migration test, migrated one step at a time up to (not including)
 * `migration`, so the test can write rows in the old shape and then run that one migration.
 */
export function useDatabaseBefore(name: string, migration: string): { readonly db: Knex } {
  const holder = {} as { db: Knex };
  before(async () => {
    await dropDatabase(testServerUrl(), name);
    holder.db = connect(await ensureDatabase(testServerUrl(), name), 2);
    for (;;) {
      const [, pending] = (await holder.db.migrate.list(migratorConfig)) as [unknown, { file: string }[]];
      if (pending[0]!.file === migration) break;
      await holder.db.migrate.up(migratorConfig);
    }
  });
  after(async () => {
    await holder.db?.destroy();
    await dropDatabase(testServerUrl(), name);
  });
  return holder;
}
