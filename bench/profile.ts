import { parseArgs } from 'node:util';
import { mkdtempSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { provisionPostgres } from '../tools/postgres.js';
import { dropDatabase } from '../lib/postgres/database-admin.js';
import { benchDatabase, createBuyers, createMerchants, setBenchFees } from './setup.js';
import { Buyers, closedLoop } from './load.js';
import { benchServiceEnv, startService } from './service.js';
import { round } from './stats.js';
import { cpuSnapshot } from './cpu-times.js';
import { profileBreakdown } from './cpu-profile.js';
import { sampleLockWaits } from './lock-waits.js';

/**
 * `npm run bench:profile`: where a pay flow's cost goes (issue 23). One peak phase (the bench's
 * 32 buyers, 100 merchants) with the service under V8's sampling profiler, and around it the CPU
 * seconds of the service, of PostgreSQL and of the load generator, and PostgreSQL's own count of
 * commits. Prints a table and writes bench/results/profile-latest.json.
 */
const { values: opts } = parseArgs({
  // --socket DIR: the service reaches PostgreSQL through its Unix socket in DIR instead of TCP on 127.0.0.1
  // --set NAME=VALUE (repeatable): one more setting of the service, to measure a lever (API_KEY_CACHE_MS=0)
  // --merchants 1: every flow pays one merchant (one API key, one hot wallet) instead of 100
  options: {
    seconds: { type: 'string', default: '20' }, concurrency: { type: 'string', default: '32' }, socket: { type: 'string' },
    set: { type: 'string', multiple: true, default: [] }, merchants: { type: 'string', default: '100' },
    // --fee 3: every bench shop charges this percent (docs/merchant-guide.md#fees), so the fee wallet is in every transfer
    fee: { type: 'string' },
  },
});
const SECONDS = Number(opts.seconds);
const CONCURRENCY = Number(opts.concurrency);
const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

async function main() {
  const server = await provisionPostgres();
  const dbName = `telepurse_profile_${process.pid}`;
  const cleanups: (() => Promise<unknown>)[] = [() => server.stop(), () => dropDatabase(server.url, dbName)];
  try {
    const { dbUrl, db, sink, dataKey, deps } = await benchDatabase(server.url, dbName, 4, cleanups);
    const merchants = await createMerchants(deps, 100, sink.url('/result'));
    const buyers = await createBuyers(deps, Math.max(1000, Math.ceil((SECONDS * 400) / 4)), 100_000n);
    if (opts.fee) await setBenchFees(db, Number(opts.fee));
    const profileDir = mkdtempSync(path.join(os.tmpdir(), 'telepurse-profile-'));
    const serviceDbUrl = opts.socket ? viaSocket(dbUrl, opts.socket) : dbUrl;
    const settings = Object.fromEntries(opts.set!.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
    const service = await startService({ ...benchServiceEnv({ dbUrl: serviceDbUrl, dataKey, smsUrl: sink.url('/sms'), pool: '20' }), ...settings }, ['--cpu-prof', `--cpu-prof-dir=${profileDir}`]);
    cleanups.unshift(() => service.stop());
    const load = new Buyers(service.url, sink, buyers);
    let turn = 0;
    const payees = merchants.slice(0, Number(opts.merchants));
    const spread = (rec: Parameters<typeof load.flow>[1]) => load.flow(payees[turn++ % payees.length]!, rec);
    await closedLoop(spread, 8, 3, 1000);

    // transactions PostgreSQL counted (a lone select is one too) and the WAL flushes its commits waited for
    const counts = async () => {
      await db.raw('select pg_stat_clear_snapshot()');
      const { rows: [row] } = await db.raw(`select (select xact_commit from pg_stat_database where datname = current_database()) as xacts, (select wal_sync from pg_stat_wal) as syncs`);
      return { xacts: Number(row.xacts), syncs: Number(row.syncs) };
    };
    const countsBefore = await counts();
    const cpuBefore = cpuSnapshot(service.pid);
    const fromUs = monotonicUs();
    const waits = sampleLockWaits(db);
    const peak = await closedLoop(spread, CONCURRENCY, SECONDS, 100_000);
    const lockWaits = await waits.stop();
    const toUs = monotonicUs();
    const cpuAfter = cpuSnapshot(service.pid);
    await new Promise((r) => setTimeout(r, 600)); // the statistics collector reports at most every 500 ms
    const countsAfter = await counts();
    await service.stop(); // the profile is written when the process exits
    // the main thread's profile (thread 0); the module loader's worker thread writes one too
    const file = path.join(profileDir, readdirSync(profileDir).find((f) => /\.0\.\d+\.cpuprofile$/.test(f))!);
    const breakdown = profileBreakdown(file, fromUs, toUs);

    const flows = peak.flows;
    const perFlowMs = (seconds: number) => round((seconds * 1000) / flows, 2);
    const used = { service: cpuAfter.service - cpuBefore.service, postgres: cpuAfter.postgres - cpuBefore.postgres, loadGenerator: cpuAfter.loadGenerator - cpuBefore.loadGenerator };
    const report = {
      date: new Date().toISOString(),
      machine: { cores: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', node: process.version, postgres: server.source },
      phase: { merchants: payees.length, fee_percent: opts.fee ?? null, concurrency: CONCURRENCY, seconds: round(peak.seconds, 1), flows, errors: peak.errors, flows_per_second: round(peak.flowsPerSecond) },
      cpu_seconds: { service: round(used.service, 2), postgres: round(used.postgres, 2), load_generator_and_sinks: round(used.loadGenerator, 2), machine_capacity: round(os.cpus().length * peak.seconds, 1) },
      cpu_ms_per_flow: { service: perFlowMs(used.service), postgres: perFlowMs(used.postgres), load_generator_and_sinks: perFlowMs(used.loadGenerator) },
      transport: opts.socket ? `Unix socket in ${opts.socket}` : 'TCP to 127.0.0.1',
      settings,
      transactions_per_flow: round((countsAfter.xacts - countsBefore.xacts) / flows, 2),
      wal_flushes_per_flow: round((countsAfter.syncs - countsBefore.syncs) / flows, 2),
      lock_waits: lockWaits,
      service_profile: {
        busy_ms: round(breakdown.busyMs), idle_ms: round(breakdown.idleMs),
        categories: breakdown.categories.filter((c) => c.share >= 0.005).map((c) => ({ name: c.name, share: round(c.share * 100, 1), ms_per_flow: round(c.ms / flows, 3) })),
      },
    };
    console.log(`\ntelepurse profile ${report.date}: ${flows} flows in ${report.phase.seconds} s (${report.phase.flows_per_second}/s), ${peak.errors} errors\n`);
    console.log(`CPU per flow, ms: service ${report.cpu_ms_per_flow.service}, PostgreSQL ${report.cpu_ms_per_flow.postgres}, load generator and sinks ${report.cpu_ms_per_flow.load_generator_and_sinks}`);
    console.log(`CPU seconds used of ${report.cpu_seconds.machine_capacity} available: service ${report.cpu_seconds.service}, PostgreSQL ${report.cpu_seconds.postgres}, load ${report.cpu_seconds.load_generator_and_sinks}`);
    console.log(`per flow: ${report.transactions_per_flow} transactions (pg_stat_database, lone selects included), ${report.wal_flushes_per_flow} WAL flushes (pg_stat_wal); ${report.transport}`);
    console.log(`connections waiting for a lock, on average (${lockWaits.samples} samples): ${lockWaits.mean_waiting}`);
    for (const w of lockWaits.by_statement) console.log(`  ${String(w.mean_waiting).padStart(5)}  ${w.statement}`);
    console.log(`\nthe service's busy time (${report.service_profile.busy_ms} ms sampled):`);
    for (const c of report.service_profile.categories) console.log(`  ${String(c.share).padStart(5)} %  ${String(c.ms_per_flow).padStart(6)} ms/flow  ${c.name}`);
    mkdirSync('bench/results', { recursive: true });
    writeFileSync('bench/results/profile-latest.json', `${JSON.stringify(report, null, 2)}\n`);
    console.log('\nwritten to bench/results/profile-latest.json');
    if (peak.errors > 0) {
      console.error('INVALID: the phase had errors', peak.errorSamples);
      process.exitCode = 1;
    }
  } finally {
    for (const cleanup of cleanups) await cleanup().catch((err) => console.error('cleanup:', (err as Error).message));
  }
}

function viaSocket(url: string, dir: string): string {
  const u = new URL(url);
  return `postgresql://${u.username}${u.password ? `:${u.password}` : ''}@${encodeURIComponent(dir)}:${u.port || 5432}${u.pathname}`;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
