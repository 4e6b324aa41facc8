import path from 'node:path';
import { loadConfig, ConfigError, type Config } from './config.js';
import { createLogger, type Logger } from './log.js';
import { systemClock } from './clock.js';
import { connect, migrateLatest } from './postgres/db.js';
import { startEmbeddedPostgres, EmbeddedPostgresError, type EmbeddedServer } from './postgres/embedded-postgres.js';
import { ensureDatabase } from './postgres/database-admin.js';
import { freePort } from './postgres/free-port.js';
import { createApp } from './app.js';
import { listen } from './server.js';
import { seedDemo, seedDemoOwner, seedDemoTestKey } from './use-cases/operators/seed-demo.js';
import { resolveServiceSecrets } from './use-cases/operators/resolve-service-secrets.js';
import { checkSealedSecrets } from './use-cases/operators/check-sealed-secrets.js';
import prettyStream from 'pino-pretty';

async function readConfig(): Promise<Config> {
  try {
    const config = loadConfig();
    // PORT=0 means "any free port": pick it now so that PUBLIC_URL and every link name the real one
    if (config.port === 0) return loadConfig(process.env, { port: await freePort(), ...(process.env.PUBLIC_URL ? {} : { publicUrl: null }) });
    return config;
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
}

/** What is open because NODE_ENV was left unset: one loud line, so nobody runs development settings in production by accident. */
function warnImplicitDevelopment(config: Config, log: Logger) {
  if (!config.envImplicit) return;
  const open = [
    config.allowPrivateCallbacks && 'merchant callbacks to private and loopback addresses',
    config.smsGateway?.includes('log') && 'SMS kept in the dev inbox (/dev/sms) instead of sent',
    !config.adminToken && 'no admin API (ADMIN_TOKEN unset)',
  ].filter(Boolean);
  log.warn({ open }, `NODE_ENV is not set: running in development mode (${open.join('; ')}). Set NODE_ENV=production for a real deployment.`);
}

async function main() {
  let config = await readConfig();
  // coloured lines for a developer at a terminal (or LOG_PRETTY=1); JSON lines for everything that reads logs
  const pretty = config.logPretty || (config.env === 'development' && process.stdout.isTTY === true);
  const log = createLogger(config.logLevel, pretty ? prettyStream({ colorize: process.stdout.isTTY === true, translateTime: 'SYS:HH:MM:ss.l' }) : undefined);
  warnImplicitDevelopment(config, log);

  let embedded: EmbeddedServer | undefined;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    const dataDir = path.join(config.dataDir, 'pg');
    log.info({ dataDir, port: config.embeddedPgPort }, 'no DATABASE_URL: starting embedded PostgreSQL');
    try {
      embedded = await startEmbeddedPostgres({
        dataDir,
        port: config.embeddedPgPort,
        persistent: true,
        onLog: (line) => log.debug({ pg: line.trim() }, 'embedded postgres'),
      });
    } catch (err) {
      if (!(err instanceof EmbeddedPostgresError)) throw err;
      console.error(`telepurse: ${err.message}`);
      process.exit(1);
    }
    databaseUrl = await ensureDatabase(embedded.url, 'telepurse');
  }

  const db = connect(databaseUrl, config.dbPoolMax, log);
  const applied = await migrateLatest(db);
  if (applied.length) log.info({ migrations: applied }, 'migrations applied');
  config = await resolveServiceSecrets(db, config);
  // never re-seals at start (instances still on the old key could not open it): `secrets:reseal` does, once all know DATA_KEY
  const sealing = await checkSealedSecrets({ db, config });
  if (sealing.sealed) log.info(sealing, 'merchant secrets kept in the clear by an earlier release are sealed now');
  const demo = !!embedded && config.seedDemo;
  if (demo) await seedDemo({ db, config, clock: systemClock, log });

  const app = createApp({ config, db, clock: systemClock, log, demo });
  const http = await listen(app.koa.callback(), config.port);
  app.jobs.start();
  void app.sms.connect();
  const base = config.publicUrl.replace(/\/$/, '');
  const links = demo ? { demo: `${base}/demo`, docs: `${base}/docs`, smsInbox: `${base}/dev/sms` } : { docs: `${base}/docs` };
  log.info({ port: http.port, ...links }, `telepurse listening on ${base}`);
  if (demo) {
    // printed on purpose, once per start, for the embedded demo only: a newcomer signs in to /office with it
    const owner = await seedDemoOwner({ db, clock: systemClock });
    log.info({ office: `${base}/office`, demo_sign_in: `${owner.email} / ${owner.password}` }, 'demo back-office owner (the password changes at every start)');
    // docs/merchant-guide.md#test-mode: the demo's tp_test_ key, new at every start like the password
    log.info({ api: `${base}/api/v1`, demo_test_key: await seedDemoTestKey({ db, clock: systemClock }) }, 'demo test API key (a new one at every start)');
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping: finishing requests in flight');
    // the office's event streams never end by themselves: end them (and their LISTEN connection) so the grace period is for real requests
    await app.officeLive.stop();
    await http.close(config.shutdownGraceMs);
    await app.stop();
    // every connection is closed before the embedded server stops, so none sees it go (57P01)
    await db.destroy();
    if (embedded) await embedded.stop();
    log.info('stopped');
    process.exit(0);
  };
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => void stop(signal));
  // `npm start` may be stopped without passing the signal on: a service whose parent is gone stops too, never runs orphaned
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void stop('parent exited');
  }, 500).unref();
}

main().catch((err) => {
  console.error('telepurse failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
