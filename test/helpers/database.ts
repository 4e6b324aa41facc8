import { connect, type Knex } from '../../lib/postgres/db.js';
import { createDatabaseFromTemplate, dropDatabase, withDatabase } from '../../lib/postgres/database-admin.js';
import { TEMPLATE_DB, TEST_DB_PREFIX } from './global-fixtures.js';

let counter = 0;

export function testServerUrl(): string {
  const url = process.env.TELEPURSE_TEST_SERVER_URL;
  if (!url) throw new Error('the mocha global setup has not provisioned PostgreSQL');
  return url;
}

export type TestDatabase = { name: string; url: string; db: Knex; drop(): Promise<void> };

/** A fresh database cloned from the migrated template: each test file starts from an empty schema. */
export async function createTestDatabase(poolMax = 20): Promise<TestDatabase> {
  const server = testServerUrl();
  const name = `${TEST_DB_PREFIX}${++counter}`;
  await createDatabaseFromTemplate(server, name, TEMPLATE_DB);
  const url = withDatabase(server, name);
  const db = connect(url, poolMax);
  return {
    name,
    url,
    db,
    async drop() {
      await db.destroy();
      await dropDatabase(server, name);
    },
  };
}
