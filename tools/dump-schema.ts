import { writeFileSync } from 'node:fs';
import { provisionPostgres } from './postgres.js';
import { connect, migrateLatest } from '../lib/postgres/db.js';
import { ensureDatabase, dropDatabase } from '../lib/postgres/database-admin.js';
import { describeSchema } from '../lib/use-cases/operators/read.js';

/** `npm run schema:dump`: migrates a scratch database and writes its schema to migrations/schema.sql. */
const server = await provisionPostgres();
const name = `telepurse_schema_${process.pid}`;
const db = connect(await ensureDatabase(server.url, name), 2);
try {
  await migrateLatest(db);
  writeFileSync('migrations/schema.sql', await describeSchema({ db }));
  console.log('wrote migrations/schema.sql');
} finally {
  await db.destroy();
  await dropDatabase(server.url, name);
  await server.stop();
}
