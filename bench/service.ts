import { spawn, fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { freePort } from '../test/helpers/postgres.js';

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
