import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../../tools/postgres.js';

/** The real service (lib/main.ts) in a child process, for tests of crashes and restarts. */
export class ServiceProcess {
  child?: ChildProcess;
  output = '';
  port = 0;

  constructor(private readonly env: Record<string, string>) {}

  async start(): Promise<this> {
    this.port = await freePort();
    this.child = spawn(process.execPath, ['--import', 'tsx', 'lib/main.ts'], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'development', LOG_LEVEL: 'warn', PUBLIC_URL: `http://127.0.0.1:${this.port}`, ...this.env, PORT: String(this.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (d) => (this.output += d));
    this.child.stderr!.on('data', (d) => (this.output += d));
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`the service exited: ${this.output}`);
      const ok = await fetch(`${this.url}/ready`).then((r) => r.ok, () => false);
      if (ok) return this;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the service did not become ready: ${this.output}`);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return child?.exitCode ?? null;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill(signal);
    return exited;
  }

  async json(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: any }> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  }
}
