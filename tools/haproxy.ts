import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureDebianPackage } from './debian-package.js';
import { freePort } from './postgres.js';

export const HAPROXY = '/usr/sbin/haproxy';

/**
 * HAProxy (Debian's) on 127.0.0.1 in front of service instances: round robin, each checked on
 * /ready, adding X-Forwarded-For as a production balancer does.
 */
export class Balancer {
  private child?: ChildProcess;
  private dir = mkdtempSync(path.join(os.tmpdir(), 'telepurse-haproxy-'));
  port = 0;
  output = '';

  constructor(private readonly backends: string[]) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    ensureDebianPackage(HAPROXY, 'haproxy', 'the several-instances test');
    this.port ||= await freePort();
    const config = [
      'global', '  maxconn 4096',
      'defaults', '  mode http', '  timeout connect 2s', '  timeout client 30s', '  timeout server 30s', '  option forwardfor', '  option http-server-close',
      'frontend web', `  bind 127.0.0.1:${this.port}`, '  default_backend services',
      'backend services', '  balance roundrobin', '  option httpchk GET /ready', '  http-check expect status 200', '  default-server inter 300ms fall 2 rise 1',
      ...this.backends.map((url, i) => `  server s${i + 1} ${new URL(url).host} check`),
      '',
    ].join('\n');
    const file = path.join(this.dir, 'haproxy.cfg');
    writeFileSync(file, config);
    this.child = spawn(HAPROXY, ['-f', file, '-db'], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (d) => (this.output += d));
    this.child.stderr!.on('data', (d) => (this.output += d));
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`haproxy exited: ${this.output}`);
      if (await fetch(`${this.url}/ready`).then((r) => r.ok, () => false)) return this;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`haproxy did not answer: ${this.output}`);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null) {
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await gone;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
