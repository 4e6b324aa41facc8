import { spawn, fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { freePort } from '../tools/postgres.js';

export type Child = { url: string; pid: number; rssMb(): number; stop(): Promise<void> };

async function waitReady(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the process exited: ${output()}`);
    if (await fetch(url).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not ready: ${output()}`);
}

function handle(child: ChildProcess, url: string): Child {
  return {
    url,
    pid: child.pid!,
    rssMb() {
      const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]);
      return Math.round(kb / 1024);
    },
    stop() {
      return new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    },
  };
}

/** The real service (lib/main.ts) in its own process, as production runs it. */
export async function startService(env: Record<string, string>, nodeArgs: string[] = []): Promise<Child> {
  const port = await freePort();
  let output = '';
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'lib/main.ts'], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env, PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr!.on('data', (d) => (output = (output + d).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  await waitReady(`${url}/ready`, child, () => output);
  return handle(child, url);
}

export async function startBareKoa(): Promise<Child> {
  const port = await freePort();
  const child = fork('bench/bare-koa.ts', [], { execArgv: ['--import', 'tsx'], env: { ...process.env, PORT: String(port) }, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  await waitReady(`${url}/ping`, child, () => '');
  return handle(child, url);
}

/** The service's environment in the bench: production settings, SMS to the bench's sink. */
export function benchServiceEnv(o: { dbUrl: string; dataKey: string; smsUrl: string; pool: string }): Record<string, string> {
  return {
    NODE_ENV: 'production', DATABASE_URL: o.dbUrl, ADMIN_TOKEN: randomBytes(24).toString('hex'), CODE_SECRET: randomBytes(24).toString('hex'), DATA_KEY: o.dataKey,
    SMS_GATEWAY: 'http', SMS_HTTP_URL: o.smsUrl, ALLOW_PRIVATE_CALLBACKS: 'true', LOG_LEVEL: 'info', DB_POOL_MAX: o.pool,
    // the buyers are thousands of phones of a few number ranges on one machine: the abuse limits (docs/merchant-guide.md#abuse-limits) would refuse
    // most of them, which is their job, not what this measures; every other code path stays as in production
    RANGE_SMS_PER_HOUR: '1000000', SMS_BUDGET_PER_MINUTE: '1000000', API_RATE_PER_SECOND: '1000000', FORM_PAYMENTS_PER_MINUTE: '1000000',
  };
}
