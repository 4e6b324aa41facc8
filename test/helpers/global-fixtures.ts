import { mkdirSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { provisionPostgres, type ProvisionedServer } from '../../tools/postgres.js';
import { connect, migrateLatest } from '../../lib/postgres/db.js';
import { ensureDatabase, dropDatabase } from '../../lib/postgres/database-admin.js';
import { capturedLogLines, leakedSecrets } from './log-capture.js';
import { personalDataLeaks } from './log-scan.js';
import { ensureChromium } from './chromium.js';

let server: ProvisionedServer | undefined;

export const TEMPLATE_DB = `telepurse_tpl_${process.pid}`;
export const TEST_DB_PREFIX = `telepurse_t_${process.pid}_`;

/** Provisions Chromium and PostgreSQL once per run and migrates a template database that every test file clones. */
export async function mochaGlobalSetup() {
  ensureChromium();
  server = await provisionPostgres();
  process.env.TELEPURSE_TEST_SERVER_URL = server.url;
  console.log(`  PostgreSQL for tests: ${server.source}`);
  const templateUrl = await ensureDatabase(server.url, TEMPLATE_DB);
  const db = connect(templateUrl, 2);
  try {
    await migrateLatest(db);
  } finally {
    await db.destroy();
  }
}

export async function mochaGlobalTeardown() {
  if (!server) return;
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  const { rows } = await client.query('select datname from pg_database where datname like $1', [`${TEST_DB_PREFIX}%`]);
  await client.end();
  for (const { datname } of rows) await dropDatabase(server.url, datname);
  await dropDatabase(server.url, TEMPLATE_DB);
  await server.stop();
}

export const mochaHooks = {
  afterAll() {
    mkdirSync('test-artifacts', { recursive: true });
    writeFileSync('test-artifacts/test-run.log', capturedLogLines.join('\n') + '\n');
    // secrets the tests handed out, then any phone, voucher code or link secret at all (docs/security.md)
    const leaks = [...leakedSecrets(capturedLogLines), ...personalDataLeaks(capturedLogLines)];
    if (leaks.length) {
      throw new Error(`${leaks.length} secret(s) or code(s) handed out during the tests appear in the logs (see test-artifacts/test-run.log):\n${leaks.slice(0, 5).join('\n')}`);
    }
  },
};
