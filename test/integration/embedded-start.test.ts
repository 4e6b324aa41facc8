import assert from 'node:assert/strict';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../helpers/postgres.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('npm start without DATABASE_URL (embedded PostgreSQL)', function () {
  this.timeout(120_000);
  let dataDir: string;
  let child: ChildProcess | undefined;
  let output = '';

  before(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'telepurse-embedded-'));
    chmodSync(dataDir, 0o755); // the database runs as the postgres user when we are root
  });
  after(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts on an empty data folder, serves /health, and leaves no database process after SIGTERM', async () => {
    const port = await freePort();
    const pgPort = await freePort();
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'development', PORT: String(port), EMBEDDED_PG_PORT: String(pgPort), DATA_DIR: dataDir, LOG_LEVEL: 'info' };
    child = spawn(process.execPath, ['--import', 'tsx', 'lib/main.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));

    const health = await waitFor('/health', async () => {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      return res.status === 200 ? res.status : undefined;
    }, 90_000).catch((err) => {
      throw new Error(`${err.message}\n${output}`);
    });
    assert.equal(health, 200);
    assert.match(output, /telepurse listening/);

    const postmasterPid = Number(readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
    assert.ok(alive(postmasterPid), 'the embedded postgres runs while the service runs');

    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0, output);
    await waitFor('postgres to exit', async () => (alive(postmasterPid) ? undefined : true), 10_000);
    const leftovers = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' }).split('\n').filter((line) => line.includes(dataDir));
    assert.deepEqual(leftovers, []);
  });
});
