import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import { ensureDatabase, dropDatabase } from '../lib/postgres/database-admin.js';

export type PgbenchResult = { tps: number; scale: number; clients: number; threads: number; seconds: number; binary: string };

function findPgbench(): string | undefined {
  const onPath = spawnSync('sh', ['-c', 'command -v pgbench'], { encoding: 'utf8' }).stdout.trim();
  if (onPath) return onPath;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  return versions.map((v) => `${root}/${v}/bin/pgbench`).find((p) => existsSync(p));
}

/** pgbench comes with Debian's PostgreSQL; like the tests' Chromium, it is installed when missing. */
export function ensurePgbench(): string {
  const found = findPgbench();
  if (found) return found;
  if (os.userInfo().uid !== 0) throw new Error('pgbench is needed for the baseline: apt-get install postgresql (or put pgbench on PATH)');
  console.log('pgbench missing: installing postgresql with apt-get');
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'postgresql'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  const installed = findPgbench();
  if (!installed) throw new Error('postgresql was installed but pgbench is still missing');
  return installed;
}

/** TPC-B-like transactions per second of this PostgreSQL server, in a database of its own. */
export async function runPgbench(serverUrl: string, opts: { scale: number; clients: number; threads: number; seconds: number }): Promise<PgbenchResult> {
  const binary = ensurePgbench();
  const name = `telepurse_pgbench_${process.pid}`;
  const url = new URL(await ensureDatabase(serverUrl, name));
  const env = { ...process.env, PGPASSWORD: decodeURIComponent(url.password) };
  const conn = ['-h', url.hostname, '-p', url.port || '5432', '-U', decodeURIComponent(url.username) || 'postgres', name];
  try {
    execFileSync(binary, ['-i', '-q', '-s', String(opts.scale), ...conn], { env, stdio: 'pipe' });
    const out = execFileSync(binary, ['-M', 'prepared', '-c', String(opts.clients), '-j', String(opts.threads), '-T', String(opts.seconds), ...conn], { env, encoding: 'utf8' });
    const tps = Number(/tps = ([\d.]+)/.exec(out)?.[1]);
    if (!Number.isFinite(tps)) throw new Error(`pgbench printed no tps:\n${out}`);
    return { tps, binary, ...opts };
  } finally {
    await dropDatabase(serverUrl, name);
  }
}
