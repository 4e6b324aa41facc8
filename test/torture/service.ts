import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../../lib/postgres/free-port.js';

/**
 * The real service (lib/main.ts) on a fixed port, so clients keep one address while it is killed
 * (SIGKILL: no shutdown, no flush) and started again.
 */
export class ServiceUnderTest {
  private child?: ChildProcess;
  port = 0;
  output = '';
  starts = 0;

  constructor(private readonly env: Record<string, string>) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.port ||= await freePort();
    this.starts += 1;
    const child = spawn(process.execPath, ['--import', 'tsx', 'lib/main.ts'], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'development', LOG_LEVEL: 'warn', ...this.env, PORT: String(this.port), PUBLIC_URL: this.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const keep = (d: Buffer) => (this.output = (this.output + d).slice(-4_000_000));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`the service exited: ${this.output.slice(-2000)}`);
      if (await fetch(`${this.url}/health`).then((r) => r.ok, () => false)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`the service did not start: ${this.output.slice(-2000)}`);
  }

  /** kill -9: whatever it was doing stops between two lines. */
  kill(): Promise<void> {
    return this.signal('SIGKILL');
  }

  stop(): Promise<void> {
    return this.signal('SIGTERM');
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await gone;
  }
}
