import assert from 'node:assert/strict';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, chmodSync, statSync, mkdirSync } from 'node:fs';
import { promisify } from 'node:util';
import { execFile } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from '../../tools/postgres.js';
import { alive } from '../helpers/process.js';


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
    assert.match(output, new RegExp(`telepurse listening on http://localhost:${port}`), 'PUBLIC_URL follows PORT');
    assert.match(output, new RegExp(`"demo":"http://localhost:${port}/demo"`), 'the demo is advertised where it was seeded');
    const demo = await fetch(`http://127.0.0.1:${port}/demo`).then((r) => r.text());
    assert.match(demo, new RegExp(`http://localhost:${port}/lmi/payment|/lmi/payment`));

    // the demo owner of the back office signs in with what the start log printed
    await waitFor('the demo owner line', async () => (/"demo_sign_in":"[^"]+"/.test(output) ? true : undefined), 10_000);
    const [email, ownerPassword] = /"demo_sign_in":"([^"]+)"/.exec(output)![1]!.split(' / ');
    const loginPage = await fetch(`http://127.0.0.1:${port}/office/login`);
    const formCookie = loginPage.headers.get('set-cookie')!.split(';')[0]!;
    const token = /name="_csrf" value="([^"]+)"/.exec(await loginPage.text())![1]!;
    const signIn = await fetch(`http://127.0.0.1:${port}/office/login`, {
      method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: formCookie },
      body: new URLSearchParams({ _csrf: token, email: email!, password: ownerPassword! }).toString(),
    });
    assert.equal(signIn.status, 303, 'the printed demo owner password signs in');
    assert.equal(signIn.headers.get('location'), '/office');

    const passwordFile = path.join(dataDir, 'pg.password');
    const password = readFileSync(passwordFile, 'utf8').trim();
    assert.ok(password.length >= 24 && password !== 'telepurse-local', 'a superuser password drawn for this folder');
    assert.equal(statSync(passwordFile).mode & 0o777, 0o600);

    // the CLI, run while the service holds the folder (even told another port), uses that server
    const otherPort = String(await freePort());
    const cli = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'lib/cli.ts', 'ledger:check'], { env: { ...env, EMBEDDED_PG_PORT: otherPort } })
      .then((r) => ({ code: 0, out: r.stdout }), (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }));
    assert.equal(cli.code, 0, cli.out);
    assert.equal(JSON.parse(cli.out).ok, true);

    const postmasterPid = Number(readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
    assert.ok(alive(postmasterPid), 'the embedded postgres runs while the service runs');

    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0, output);
    await waitFor('postgres to exit', async () => (alive(postmasterPid) ? undefined : true), 10_000);
    const leftovers = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' }).split('\n').filter((line) => line.includes(dataDir));
    assert.deepEqual(leftovers, []);
  });

  it('on Ctrl-C (SIGINT to the whole process group, PostgreSQL included) with a LISTEN connection and a pool open, exits 0 without an unhandled pg error', async () => {
    const port = await freePort();
    const pgPort = await freePort();
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'development', PORT: String(port), EMBEDDED_PG_PORT: String(pgPort), DATA_DIR: dataDir, LOG_LEVEL: 'info' };
    // a process group of its own, as a terminal gives `npm start`: Ctrl-C reaches the service and its PostgreSQL at once
    const service = spawn(process.execPath, ['--import', 'tsx', 'lib/main.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    child = service;
    let stdout = '';
    let stderr = '';
    service.stdout!.on('data', (d) => (stdout += d));
    service.stderr!.on('data', (d) => (stderr += d));
    const base = `http://127.0.0.1:${port}`;
    await waitFor('/health', async () => ((await fetch(`${base}/health`)).status === 200 ? true : undefined), 90_000).catch((err) => {
      throw new Error(`${err.message}\n${stdout}${stderr}`);
    });
    await waitFor('the demo owner line', async () => (/"demo_sign_in":"[^"]+"/.test(stdout) ? true : undefined), 10_000);
    const [email, ownerPassword] = /"demo_sign_in":"([^"]+)"/.exec(stdout)![1]!.split(' / ');
    const loginPage = await fetch(`${base}/office/login`);
    const formCookie = loginPage.headers.get('set-cookie')!.split(';')[0]!;
    const token = /name="_csrf" value="([^"]+)"/.exec(await loginPage.text())![1]!;
    const signIn = await fetch(`${base}/office/login`, {
      method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: formCookie },
      body: new URLSearchParams({ _csrf: token, email: email!, password: ownerPassword! }).toString(),
    });
    const session = signIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    // the office's live journal: one LISTEN connection taken from the pool for good
    const events = new AbortController();
    const stream = await fetch(`${base}/office/events`, { headers: { Cookie: session, Accept: 'text/event-stream' }, signal: events.signal });
    assert.equal(stream.status, 200);
    await Promise.all([1, 2, 3, 4].map(() => fetch(`${base}/ready`).then((r) => r.text()))); // a few pooled connections, now idle
    const admin = new pg.Client({ connectionString: `postgres://postgres:${encodeURIComponent(readFileSync(path.join(dataDir, 'pg.password'), 'utf8').trim())}@127.0.0.1:${pgPort}/postgres` });
    admin.on('error', () => {});
    await admin.connect();
    try {
      await waitFor('the LISTEN connection', async () => ((await admin.query(`select 1 from pg_stat_activity where query ilike 'LISTEN%'`)).rowCount ? true : undefined), 10_000);
      assert.ok(((await admin.query(`select 1 from pg_stat_activity where datname = 'telepurse'`)).rowCount ?? 0) >= 2, 'the pool is open too');
    } finally {
      await admin.end();
    }

    const exited = new Promise<number | null>((resolve) => service.once('exit', (code) => resolve(code)));
    process.kill(-service.pid!, 'SIGINT');
    const code = await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r('still running after 20 s'), 20_000))]);
    events.abort();
    assert.equal(code, 0, `${stdout}${stderr}`);
    assert.doesNotMatch(`${stdout}${stderr}`, /Unhandled|unhandled 'error'|57P01|\n\s+at .+:\d+:\d+\)?\n/, `${stdout}${stderr}`);
    assert.match(stdout, /"msg":"stopped"/);
  });

  if (os.userInfo().uid === 0) {
    it('as root, in a folder the postgres user cannot enter, stops with one line that says what to do', async () => {
      const closed = mkdtempSync(path.join(os.tmpdir(), 'telepurse-closed-'));
      chmodSync(closed, 0o700);
      mkdirSync(path.join(closed, 'clone'));
      try {
        const env = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'development', PORT: String(await freePort()), EMBEDDED_PG_PORT: String(await freePort()), DATA_DIR: path.join(closed, 'clone', 'data') };
        const result = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'lib/main.ts'], { env })
          .then(() => ({ code: 0, stderr: '' }), (e: { code: number; stderr: string }) => e);
        assert.equal(result.code, 1);
        const lines = result.stderr.trim().split('\n');
        assert.equal(lines.length, 1, result.stderr);
        assert.match(lines[0]!, new RegExp(`cannot enter ${closed}.*DATABASE_URL`));
      } finally {
        rmSync(closed, { recursive: true, force: true });
      }
    });
  }
});
