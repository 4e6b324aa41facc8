import path from 'node:path';
import { loadConfig, ConfigError } from './config.js';
import { createLogger } from './log.js';
import { systemClock } from './clock.js';
import { connect, migrateLatest } from './store/db.js';
import { startEmbeddedPostgres, type EmbeddedServer } from './store/embedded-postgres.js';
import { ensureDatabase } from './store/database-admin.js';
import { createApp } from './app.js';
import { listen } from './server.js';
import { seedDemo } from './use-cases/seed-demo.js';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const log = createLogger(config.logLevel);

  let embedded: EmbeddedServer | undefined;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    const dataDir = path.join(config.dataDir, 'pg');
    log.info({ dataDir, port: config.embeddedPgPort }, 'no DATABASE_URL: starting embedded PostgreSQL');
    embedded = await startEmbeddedPostgres({
      dataDir,
      port: config.embeddedPgPort,
      persistent: true,
      onLog: (line) => log.debug({ pg: line.trim() }, 'embedded postgres'),
    });
    databaseUrl = await ensureDatabase(embedded.url, 'telepurse');
  }

  const db = connect(databaseUrl, config.dbPoolMax, log);
  const applied = await migrateLatest(db);
  if (applied.length) log.info({ migrations: applied }, 'migrations applied');
  if (embedded && config.seedDemo) await seedDemo({ db, config, clock: systemClock, log });

  const app = createApp({ config, db, clock: systemClock, log });
  const http = await listen(app.koa.callback(), config.port);
  app.jobs.start();
  void app.sms.connect();
  const base = config.publicUrl;
  log.info({ port: http.port, demo: `${base}/demo`, docs: `${base}/docs`, smsInbox: `${base}/dev/sms` }, `telepurse listening on ${base}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping: finishing requests in flight');
    await http.close(config.shutdownGraceMs);
    await app.stop();
    await db.destroy();
    if (embedded) await embedded.stop();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err) => {
  console.error('telepurse failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
