import pg from 'pg';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../lib/postgres/embedded-postgres.js';

export type ProvisionedServer = { url: string; source: string; stop: () => Promise<void> };

const LOCAL_SERVER = 'postgres://postgres@127.0.0.1:5432/postgres';

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1500 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

export { freePort } from '../lib/postgres/free-port.js';
import { freePort } from '../lib/postgres/free-port.js';

/** TEST_DATABASE_URL, else a server on 127.0.0.1:5432, else a throwaway embedded PostgreSQL for this run. */
export async function provisionPostgres(): Promise<ProvisionedServer> {
  const configured = process.env.TEST_DATABASE_URL;
  if (configured) {
    if (!(await answers(configured))) throw new Error('TEST_DATABASE_URL is set but the server does not answer');
    return { url: configured, source: 'TEST_DATABASE_URL', stop: async () => {} };
  }
  if (await answers(LOCAL_SERVER)) return { url: LOCAL_SERVER, source: '127.0.0.1:5432', stop: async () => {} };
  const port = await freePort();
  const dataDir = path.join(os.tmpdir(), `telepurse-test-pg-${process.pid}`);
  const server = await startEmbeddedPostgres({ dataDir, port, persistent: false });
  return { url: server.url, source: `embedded PostgreSQL on 127.0.0.1:${port}`, stop: server.stop };
}

/**
 * Ends a command-line run with its exit code. An explicit exit, not `process.exitCode`: embedded-postgres's
 * exit hook throws ("done is not a function") when a process that loaded it ends by itself.
 */
export function endProcess(code: number): never {
  process.exit(code);
}
