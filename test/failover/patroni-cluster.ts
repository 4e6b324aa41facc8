import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../lib/postgres/free-port.js';

const PG_BIN = '/usr/lib/postgresql/15/bin';
const SUPERUSER_PASSWORD = 'failover-superuser-secret';

type Node = { name: string; pgPort: number; apiPort: number; config: string; dataDir: string; child?: ChildProcess };

/**
 * The production stack of docs/operator-guide.md#several-instances-and-database-outages on 127.0.0.1: one etcd, two Patroni nodes of PostgreSQL with
 * synchronous replication (`synchronous_mode: true`), and HAProxy sending connections to whichever
 * node Patroni's REST API calls the primary. Everything lives in a temporary folder; PostgreSQL and
 * Patroni run as the `postgres` system user.
 */
export class PatroniCluster {
  readonly dir = mkdtempSync(path.join(os.tmpdir(), 'telepurse-failover-'));
  readonly nodes: Node[] = [];
  private etcd?: ChildProcess;
  private haproxy?: ChildProcess;
  etcdPort = 0;
  proxyPort = 0;
  log = '';

  get databaseUrl(): string {
    return `postgres://postgres:${SUPERUSER_PASSWORD}@127.0.0.1:${this.proxyPort}/postgres`;
  }

  private spawnLogged(command: string, args: string[], asPostgres = false): ChildProcess {
    const child = asPostgres
      ? spawn('runuser', ['-u', 'postgres', '--', command, ...args], { stdio: ['ignore', 'pipe', 'pipe'], cwd: this.pgDir })
      : spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: this.dir });
    const keep = (d: Buffer) => (this.log = (this.log + d).slice(-200_000));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    return child;
  }

  /** The postgres user's own folder: data, sockets, pgpass files. */
  private get pgDir(): string {
    return path.join(this.dir, 'pg');
  }

  async start(): Promise<void> {
    chmodSync(this.dir, 0o755);
    mkdirSync(this.pgDir, { mode: 0o755 });
    chownSync(this.pgDir, postgresUser().uid, postgresUser().gid);
    this.etcdPort = await freePort();
    const peer = await freePort();
    this.etcd = this.spawnLogged('etcd', [
      '--name', 'e1', '--data-dir', path.join(this.dir, 'etcd'),
      '--listen-client-urls', `http://127.0.0.1:${this.etcdPort}`, '--advertise-client-urls', `http://127.0.0.1:${this.etcdPort}`,
      '--listen-peer-urls', `http://127.0.0.1:${peer}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${peer}`,
      '--initial-cluster', `e1=http://127.0.0.1:${peer}`, '--enable-v2=true',
    ]);
    await until('etcd', () => fetch(`http://127.0.0.1:${this.etcdPort}/health`).then((r) => r.ok, () => false), 20_000, () => this.log);
    for (const name of ['pg1', 'pg2']) this.nodes.push(await this.node(name));
    this.nodes[0]!.child = this.spawnLogged('patroni', [this.nodes[0]!.config], true);
    await until('the first primary', async () => isPrimary(await this.role(this.nodes[0]!)), 60_000, () => this.log);
    this.nodes[1]!.child = this.spawnLogged('patroni', [this.nodes[1]!.config], true);
    await until('the synchronous standby', async () => (await this.syncStandby()) !== undefined, 90_000, () => this.log);
    await this.startProxy();
  }

  private async node(name: string): Promise<Node> {
    const pgPort = await freePort();
    const apiPort = await freePort();
    const dataDir = path.join(this.pgDir, name);
    const config = path.join(this.dir, `${name}.yml`);
    mkdirSync(dataDir, { mode: 0o700 });
    const { uid, gid } = postgresUser();
    chownSync(dataDir, uid, gid);
    writeFileSync(config, [
      'scope: telepurse', `name: ${name}`,
      `restapi: {listen: '127.0.0.1:${apiPort}', connect_address: '127.0.0.1:${apiPort}'}`,
      `etcd3: {host: '127.0.0.1:${this.etcdPort}'}`,
      'bootstrap:',
      '  dcs:',
      '    ttl: 20', '    loop_wait: 1', '    retry_timeout: 5', '    maximum_lag_on_failover: 1048576',
      // a commit is answered only once the standby has it: a failover loses nothing acknowledged
      '    synchronous_mode: true',
      '    postgresql:', '      use_pg_rewind: true',
      "      parameters: {wal_level: replica, hot_standby: 'on', max_wal_senders: 10, max_replication_slots: 10, wal_log_hints: 'on', synchronous_commit: 'on', max_connections: 100}",
      "  initdb: [{encoding: UTF8}, {locale: C.UTF-8}]",
      "  pg_hba: ['host replication replicator 127.0.0.1/32 md5', 'host all all 127.0.0.1/32 md5', 'local all all trust']",
      'postgresql:',
      `  listen: '127.0.0.1:${pgPort}'`, `  connect_address: '127.0.0.1:${pgPort}'`,
      `  data_dir: '${dataDir}'`, `  bin_dir: '${PG_BIN}'`, `  pgpass: '${path.join(this.pgDir, `${name}.pgpass`)}'`,
      '  authentication:',
      "    replication: {username: replicator, password: 'failover-replication-secret'}",
      `    superuser: {username: postgres, password: '${SUPERUSER_PASSWORD}'}`,
      "    rewind: {username: rewinder, password: 'failover-rewind-secret'}",
      `  parameters: {unix_socket_directories: '${this.pgDir}'}`,
      '',
    ].join('\n'));
    chownSync(config, uid, gid);
    return { name, pgPort, apiPort, config, dataDir };
  }

  private async startProxy(): Promise<void> {
    this.proxyPort = await freePort();
    const file = path.join(this.dir, 'haproxy.cfg');
    writeFileSync(file, [
      'global', '  maxconn 1000',
      'defaults', '  mode tcp', '  timeout connect 2s', '  timeout client 60s', '  timeout server 60s',
      'listen postgres', `  bind 127.0.0.1:${this.proxyPort}`,
      // Patroni answers 200 on /primary only on the node that holds the leader lock
      '  option httpchk OPTIONS /primary', '  http-check expect status 200',
      '  default-server inter 500ms fall 2 rise 1 on-marked-down shutdown-sessions',
      ...this.nodes.map((n) => `  server ${n.name} 127.0.0.1:${n.pgPort} check port ${n.apiPort}`),
      '',
    ].join('\n'));
    this.haproxy = this.spawnLogged('/usr/sbin/haproxy', ['-f', file, '-db']);
    // servers start "up" until their first checks fail: wait until every connection reaches the primary
    await until('HAProxy to the primary only', async () => {
      for (let i = 0; i < 6; i++) if (!(await canConnect(this.proxyPort))) return false;
      return true;
    }, 30_000, () => this.log);
  }

  async role(node: Node): Promise<string | undefined> {
    return fetch(`http://127.0.0.1:${node.apiPort}/patroni`).then(async (r) => ((await r.json()) as { role?: string }).role, () => undefined);
  }

  async primary(): Promise<Node | undefined> {
    for (const node of this.nodes) if (isPrimary(await this.role(node))) return node;
    return undefined;
  }

  async syncStandby(): Promise<string | undefined> {
    const cluster = await fetch(`http://127.0.0.1:${this.nodes[0]!.apiPort}/cluster`).then((r) => r.json() as Promise<{ members: { name: string; role: string; state: string }[] }>, () => undefined);
    return cluster?.members.find((m) => m.role === 'sync_standby' && (m.state === 'streaming' || m.state === 'running'))?.name;
  }

  /** A planned switchover to the synchronous standby, as an operator runs it. */
  switchover(): void {
    const from = this.nodes.find((n) => n.child)!;
    execFileSync('runuser', ['-u', 'postgres', '--', 'patronictl', '-c', from.config, 'switchover', '--force'], { cwd: this.pgDir, stdio: 'pipe' });
  }

  /** kill -9 of the primary's postmaster (its Patroni agent starts it again, or hands over). */
  async killPrimaryPostmaster(): Promise<string> {
    const primary = (await this.primary()) ?? this.nodes.find((n) => existsSync(path.join(n.dataDir, 'postmaster.pid')))!;
    const pid = Number(readFileSync(path.join(primary.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(pid, 'SIGKILL');
    return primary.name;
  }

  /** The primary's machine is gone: kill -9 of its Patroni agent and of its postmaster; the standby must take over. */
  async losePrimaryNode(): Promise<string> {
    const primary = (await this.primary())!;
    const agent = execFileSync('pgrep', ['-f', `patroni ${primary.config}`], { encoding: 'utf8' }).trim().split('\n').map(Number);
    for (const pid of agent) process.kill(pid, 'SIGKILL');
    await this.killPrimaryPostmaster();
    return primary.name;
  }

  async stop(): Promise<void> {
    for (const child of [this.haproxy, ...this.nodes.map((n) => n.child).reverse(), this.etcd]) {
      if (!child || child.exitCode !== null) continue;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await Promise.race([gone, new Promise((r) => setTimeout(r, 15_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    // Patroni leaves PostgreSQL down on SIGTERM; a postmaster it lost track of is stopped here
    for (const node of this.nodes) {
      try {
        execFileSync('runuser', ['-u', 'postgres', '--', `${PG_BIN}/pg_ctl`, '-D', node.dataDir, 'stop', '-m', 'immediate'], { stdio: 'ignore' });
      } catch {
        // not running
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Patroni 3.0 says "master", later versions "primary". */
const isPrimary = (role: string | undefined) => role === 'master' || role === 'primary';

function postgresUser(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

async function canConnect(port: number): Promise<boolean> {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: `postgres://postgres:${SUPERUSER_PASSWORD}@127.0.0.1:${port}/postgres`, connectionTimeoutMillis: 1000 });
  client.on('error', () => {}); // HAProxy closes a connection it cannot place: that is a "no", not a crash
  try {
    await client.connect();
    const { rows } = await client.query<{ standby: boolean }>('select pg_is_in_recovery() as standby');
    return rows[0]!.standby === false;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

export async function until(what: string, probe: () => Promise<boolean>, timeoutMs: number, log: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}\n${log().slice(-3000)}`);
}
