import { mkdirSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { PatroniCluster, until } from './patroni-cluster.js';
import { ServiceUnderTest } from '../torture/service.js';
import { ResultReceiver } from '../torture/receiver.js';
import { runLoad } from '../torture/workload.js';
import { audit } from '../torture/invariants.js';
import { ADMIN, seeded, shopAndBuyers, tortureEnv } from '../torture/phases.js';
import { endProcess } from '../../tools/postgres.js';

/**
 * `npm run failover` (docs/operator-guide.md#several-instances-and-database-outages, issue #22): etcd, two Patroni nodes with synchronous replication and
 * HAProxy to the primary, the service against HAProxy, 16 clients paying; then a planned switchover
 * and a SIGKILL of the primary's postmaster. Nothing acknowledged may be lost, no request may get a
 * 500, and the service must come back by itself. Writes bench/results/failover-latest.json.
 */
export type Scenario = { name: string; primary_before: string; primary_after: string; outage_seconds: number; refused: number; errors_5xx: number; acknowledged: number; acknowledged_lost: number; violations: string[] };

type Fault = { name: string; act: (cluster: PatroniCluster) => Promise<unknown>; last?: boolean };

const FAULTS: Fault[] = [
  { name: 'planned switchover (patronictl)', act: async (c) => c.switchover() },
  { name: 'SIGKILL of the primary postmaster', act: (c) => c.killPrimaryPostmaster() },
  // beyond the two: the whole primary node dies (agent and postmaster); the standby takes over after the leader key's TTL
  { name: 'loss of the primary node (Patroni and PostgreSQL killed)', act: (c) => c.losePrimaryNode(), last: true },
];

export async function failover(o: { clients: number; seed: number; log: (line: string) => void; nodeLoss?: boolean }): Promise<{ scenarios: Scenario[]; setup_seconds: number }> {
  const started = Date.now();
  const cluster = new PatroniCluster();
  const receiver = new ResultReceiver();
  let service: ServiceUnderTest | undefined;
  try {
    await cluster.start();
    const databaseUrl = await createDatabase(cluster.databaseUrl, 'telepurse');
    const resultUrl = await receiver.start();
    service = new ServiceUnderTest(tortureEnv(databaseUrl));
    await service.start();
    const shop = await shopAndBuyers({ service, resultUrl }, o.clients);
    const setup = Math.round((Date.now() - started) / 1000);
    o.log(`failover: etcd, 2 Patroni nodes (synchronous), HAProxy and the service up in ${setup} s`);
    const scenarios: Scenario[] = [];
    for (const fault of FAULTS.filter((f) => o.nodeLoss !== false || !f.last)) {
      await until('a synchronous standby', async () => (await cluster.syncStandby()) !== undefined, 120_000, () => cluster.log);
      scenarios.push(await scenario(fault, cluster, service, databaseUrl, receiver, shop, o));
      o.log(`  ${fault.name}: outage ${scenarios.at(-1)!.outage_seconds} s, ${scenarios.at(-1)!.acknowledged_lost} acknowledged lost`);
    }
    return { scenarios, setup_seconds: setup };
  } finally {
    await service?.stop().catch(() => {});
    await receiver.stop().catch(() => {});
    await cluster.stop();
  }
}

async function scenario(
  fault: Fault, cluster: PatroniCluster, service: ServiceUnderTest, databaseUrl: string, receiver: ResultReceiver,
  shop: { apiKey: string; purse: string; phones: string[] }, o: { clients: number; seed: number },
): Promise<Scenario> {
  let done = false;
  let notReadyMs = 0;
  // /ready every 100 ms: the gap it reports is the outage
  const readiness = (async () => {
    while (!done) {
      const t = Date.now();
      const ok = await fetch(`${service.url}/ready`, { signal: AbortSignal.timeout(1000) }).then((r) => r.status === 200, () => false);
      await new Promise((r) => setTimeout(r, Math.max(0, 100 - (Date.now() - t))));
      if (!ok) notReadyMs += Date.now() - t;
    }
  })();
  const before = (await cluster.primary())?.name ?? 'none';
  let after = 'none';
  const faulted = (async () => {
    await new Promise((r) => setTimeout(r, 3000));
    await fault.act(cluster);
    await new Promise((r) => setTimeout(r, 500));
    await until('a primary again', async () => {
      const primary = await cluster.primary();
      // after the loss of a node the primary must be the other one
      const found = primary !== undefined && (!fault.last || primary.name !== before);
      // the primary seen here, not asked again: a second question may fall in a moment without one
      if (found) after = primary.name;
      return found;
    }, 120_000, () => cluster.log);
    await until('the service ready again', () => fetch(`${service.url}/ready`).then((r) => r.ok, () => false), 120_000, () => service.output);
    await new Promise((r) => setTimeout(r, 3000));
    done = true;
  })();
  const load = await runLoad({ url: service.url, ...shop, payments: 0, clients: o.clients, random: seeded(o.seed), faultsDone: () => done, maxSeconds: 300 });
  await faulted;
  await readiness;
  const checked = await audit({ databaseUrl, serviceUrl: service.url, adminToken: ADMIN, acks: load.acks, received: receiver.received, now: new Date(), graceSeconds: 3600 });
  const lost = checked.violations.filter((v) => /answered 2\d\d|\(answered 20\d\)|not in the database/.test(v));
  const count = (match: (status: string) => boolean) => Object.entries(load.statuses).filter(([s]) => match(s)).reduce((n, [, c]) => n + c, 0);
  return {
    name: fault.name,
    primary_before: before,
    primary_after: after,
    outage_seconds: Math.round(notReadyMs / 100) / 10,
    refused: count((s) => s.startsWith('503')),
    errors_5xx: count((s) => /^5\d\d/.test(s) && !s.startsWith('503')),
    acknowledged: [...load.acks.values()].filter((a) => a.confirmed).length,
    acknowledged_lost: lost.length,
    // a Result still on its way is not a loss here: the failover run checks what was acknowledged
    violations: [...load.violations, ...checked.violations.filter((v) => !/Result notification/.test(v))],
  };
}

async function createDatabase(url: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  await client.query(`create database ${name}`);
  await client.end();
  return url.replace(/\/postgres$/, `/${name}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await failover({ clients: 16, seed: 20261201, log: console.log });
  console.log('\n| scenario | primary | outage s | refused (503) | 5xx | acknowledged | acknowledged lost | violations |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const s of result.scenarios) console.log(`| ${s.name} | ${s.primary_before} → ${s.primary_after} | ${s.outage_seconds} | ${s.refused} | ${s.errors_5xx} | ${s.acknowledged} | ${s.acknowledged_lost} | ${s.violations.length} |`);
  for (const s of result.scenarios) for (const v of s.violations.slice(0, 10)) console.log(`VIOLATION ${s.name}: ${v}`);
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/failover-latest.json', `${JSON.stringify({ at: new Date().toISOString(), ...result }, null, 2)}\n`);
  console.log('wrote bench/results/failover-latest.json');
  endProcess(result.scenarios.every((s) => s.violations.length === 0 && s.acknowledged_lost === 0 && s.errors_5xx === 0) ? 0 : 1);
}
