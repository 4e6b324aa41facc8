import pg from 'pg';
import path from 'node:path';
import type { Config } from '../config.js';
import { connect, migrateLatest, type Knex } from './db.js';
import { startEmbeddedPostgres, embeddedUrl, clusterPassword, runningClusterPort, EmbeddedPostgresError } from './embedded-postgres.js';
import { ensureDatabase } from './database-admin.js';

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  client.on('error', () => {}); // a probe: only whether connect() succeeds matters
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * The database a one-shot tool (CLI, bench) works on: DATABASE_URL, else the embedded server of
 * `npm start` (already running, or started just for this command and stopped after it).
 */
export async function connectForTool(config: Config): Promise<{ db: Knex; close(): Promise<void> }> {
  if (config.databaseUrl) {
    const db = connect(config.databaseUrl, 4);
    return { db, close: () => db.destroy() };
  }
  const dataDir = path.join(config.dataDir, 'pg');
  // the service may hold the folder (on whatever port it was given): use its server rather than start a second one
  const port = runningClusterPort(dataDir) ?? config.embeddedPgPort;
  const running = embeddedUrl(port, clusterPassword(dataDir));
  let stopServer = async () => {};
  if (!(await answers(running))) {
    if (runningClusterPort(dataDir) !== undefined) {
      throw new EmbeddedPostgresError(`the embedded database folder ${path.resolve(dataDir)} is in use by a server on port ${port} that does not answer; stop it or set DATABASE_URL`);
    }
    const server = await startEmbeddedPostgres({ dataDir, port: config.embeddedPgPort, persistent: true });
    stopServer = server.stop;
  }
  const db = connect(await ensureDatabase(running, 'telepurse'), 4);
  await migrateLatest(db);
  return {
    db,
    async close() {
      await db.destroy();
      await stopServer();
    },
  };
}
