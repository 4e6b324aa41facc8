import { query } from '../lib/postgres/db.js';
import type { MerchantId } from '../lib/domain/ids.js';
import { parseArgs } from 'node:util';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { provisionPostgres } from '../tools/postgres.js';
import { dropDatabase } from '../lib/postgres/database-admin.js';
import { checkLedger } from '../lib/use-cases/operators/read.js';
import { paymentsWithoutSingleDebit } from '../lib/store/ledger-check.js';
import { countPending, insertNotification } from '../lib/store/notifications.js';
import { newId } from '../lib/domain/ids.js';
import { runPgbench } from './pgbench.js';
import { Sink } from './sms-sink.js';
import { benchDatabase, createBuyers, createMerchants, setBenchFees } from './setup.js';
import { Buyers, closedLoop, getLoop, openLoop, type PhaseResult } from './load.js';
import { benchServiceEnv, startBareKoa, startService } from './service.js';
import { round } from './stats.js';
import { seedPayoutMerchants } from './payout-seed.js';
import { downloadCsv, seedJournal } from './csv-export.js';
import { runScheduledPayouts } from '../lib/use-cases/payouts/run-scheduled-payouts.js';
import { Balancer } from '../tools/haproxy.js';
import { openSessionsAndStreams } from './memory.js';
import { ledgerPhase } from './ledger.js';

const { values: opts } = parseArgs({
  options: {
    soak: { type: 'boolean', default: false },
    seconds: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '32' },
    profile: { type: 'string' },
    pool: { type: 'string', default: '20' },
    'payout-merchants': { type: 'string', default: '10000' },
    // only the baselines, warm-up, peak, hot merchant, half rate and the ledger-only phase, to bench/results/core-latest.json
    core: { type: 'boolean', default: false },
    'ledger-seconds': { type: 'string', default: '15' },
  },
});
const CORE = opts.core!;
const SECONDS = Number(opts.seconds);
const CONCURRENCY = Number(opts.concurrency);
const PGBENCH = { scale: 10, clients: 8, threads: 2, seconds: 15 };
const PAYOUT_MERCHANTS = Number(opts['payout-merchants']);
const PAYOUT_SALES = 100;
// as many workers as pgbench has clients, for as long by default
const LEDGER = { wallets: 100, workers: PGBENCH.clients, seconds: Number(opts['ledger-seconds']) };
const step = (what: string) => console.log(`· ${what}`);

async function main() {
  const started = new Date();
  const server = await provisionPostgres();
  step(`PostgreSQL: ${server.source}`);
  const dbName = `telepurse_bench_${process.pid}`;
  const cleanups: (() => Promise<unknown>)[] = [() => server.stop(), () => dropDatabase(server.url, dbName)];
  try {
    step(`pgbench TPC-B-like, scale ${PGBENCH.scale}, ${PGBENCH.clients} clients, ${PGBENCH.threads} threads, ${PGBENCH.seconds} s`);
    const pgbench = await runPgbench(server.url, PGBENCH);

    step('bare Koa route');
    const bare = await startBareKoa();
    const koa = await getLoop(`${bare.url}/ping`, CONCURRENCY, 10);
    await bare.stop();

    const { dbUrl, db, sink, dataKey, deps } = await benchDatabase(server.url, dbName, 10, cleanups);
    step('merchants and buyers');
    const merchants = await createMerchants(deps, 100, sink.url('/result'));
    // seven load phases (four with --core) use up phones (each takes at most 4 flows an hour)
    const buyerCount = Math.max(3000, Math.ceil((SECONDS * 600 * (CORE ? 4 : 7)) / 4));
    const buyers = await createBuyers(deps, buyerCount, 100_000n);

    step('service process');
    const serviceEnv = benchServiceEnv({ dbUrl, dataKey, smsUrl: sink.url('/sms'), pool: opts.pool! });
    const service = await startService(serviceEnv, opts.profile ? ['--cpu-prof', `--cpu-prof-dir=${opts.profile}`] : []); // --profile DIR: a V8 CPU profile of the service
    cleanups.unshift(() => service.stop());
    const load = new Buyers(service.url, sink, buyers);
    let turn = 0;
    const spread = (rec: Parameters<typeof load.flow>[1]) => load.flow(merchants[turn++ % merchants.length]!, rec);
    const hot = (rec: Parameters<typeof load.flow>[1]) => load.flow(merchants[0]!, rec);

    step('warm-up');
    await closedLoop(spread, 8, 3, 1000);
    const rssStart = service.rssMb();

    step(`peak: ${CONCURRENCY} buyers, ${SECONDS} s, 100 merchants`);
    const peak = await closedLoop(spread, CONCURRENCY, SECONDS, 100_000);
    step(`hot merchant: ${CONCURRENCY} buyers, ${SECONDS} s, 1 merchant`);
    const hotRun = await closedLoop(hot, CONCURRENCY, SECONDS, 100_000);
    const halfRate = peak.flowsPerSecond / 2;
    step(`half the peak rate: ${round(halfRate)} flows/s for ${SECONDS} s`);
    const half = await openLoop(spread, halfRate, SECONDS);

    step(`ledger only: postTransfer in its own transaction, ${LEDGER.workers} workers, ${LEDGER.wallets} wallets, ${LEDGER.seconds} s`);
    await waitUntilNoPending(deps.db); // the half-rate phase's Result deliveries are done before it starts
    const ledgerRun = await ledgerPhase(deps, LEDGER);

    // the rest of the full run; --core skips it and reports its sections as null
    const full = CORE ? null : await (async () => {
      // docs/merchant-guide.md#fees in the bench: the same flows with every shop charging 3 % (one more posting per payment, to
      // one of the fee wallet's 32 accounts)
      // A and B in the order A B B A B A A B, each half the phase: a drift of the machine over the
      // phase (the VM's neighbours, autovacuum, a growing table) weighs on both sides alike, and eight
      // blocks average out more of its jitter than four did (their rates are kept in the results)
      const FEE_ORDER = [true, false, false, true, false, true, true, false];
      step(`fees: ${CONCURRENCY} buyers, 100 merchants, with a 3 % fee and without, in the order ${FEE_ORDER.map((f) => (f ? 'with' : 'without')).join('/')}, ${SECONDS / 2} s each`);
      const halfPhase = () => closedLoop(spread, CONCURRENCY, SECONDS / 2, 100_000);
      const feeBlocks: PhaseResult[] = [];
      const noFeeBlocks: PhaseResult[] = [];
      for (const withIt of FEE_ORDER) {
        await setBenchFees(db, withIt ? 3 : null);
        (withIt ? feeBlocks : noFeeBlocks).push(await halfPhase());
      }
      await setBenchFees(db, null);
      const withFee = combine(feeBlocks);
      const withoutFee = combine(noFeeBlocks);

      // docs/operator-guide.md#several-instances-and-database-outages in the bench: the same flows through Debian's HAProxy, to one instance and then to two
      step(`behind HAProxy: ${CONCURRENCY} buyers, ${SECONDS} s, one instance, then two`);
      const second = await startService(serviceEnv);
      cleanups.unshift(() => second.stop());
      const viaOne = await throughBalancer([service.url], load, () => closedLoop(spread, CONCURRENCY, SECONDS, 100_000));
      const viaTwo = await throughBalancer([service.url, second.url], load, () => closedLoop(spread, CONCURRENCY, SECONDS, 100_000));
      await second.stop();

      step(`payout run: ${PAYOUT_MERCHANTS} merchants with ${PAYOUT_SALES} sales each, while buyers pay at half the peak rate`);
      await seedPayoutMerchants(db, PAYOUT_MERCHANTS, PAYOUT_SALES);
      const runStarted = performance.now();
      const payoutRun = runScheduledPayouts(deps).then((r) => ({ ...r, seconds: (performance.now() - runStarted) / 1000 }));
      const duringRun = await openLoop(spread, halfRate, SECONDS);
      const payoutResult = await payoutRun;
      // the service's own scheduled job may run at the same time (a second instance, in effect): count what exists
      const { rows: [paid] } = await db.raw(`select count(*)::int as payouts, count(distinct purse)::int as wallets from payouts where merchant_id like 'mch_payoutbench%'`);

      step('CSV export of the back office: 100,000 payments of one merchant, streamed');
      const csvUser = await seedJournal(db, merchants[1]!, 100_000);
      const csv = await downloadCsv(service.url, csvUser, () => service.rssMb());

      step('memory: 1,000 buyers on the hosted page, then 100 back-office event streams open');
      const memory = await openSessionsAndStreams(service.url, merchants, csvUser, () => service.rssMb());

      let soak: { minutes: number; rssStartMb: number; rssEndMb: number; flows: PhaseResult } | undefined;
      if (opts.soak) {
        // its own buyers, enough to hold the rate for 10 minutes within every per-phone limit (4 flows a phone an hour)
        const soakBuyers = await createBuyers(deps, Math.ceil((halfRate * 600 * 1.2) / 4), 100_000n, buyerCount);
        const soakLoad = new Buyers(service.url, sink, soakBuyers);
        step(`soak: 10 minutes at half the peak rate, ${soakBuyers.length} more buyers`);
        const before = service.rssMb();
        const flows = await openLoop((rec) => soakLoad.flow(merchants[turn++ % merchants.length]!, rec), halfRate, 600);
        soak = { minutes: 10, rssStartMb: before, rssEndMb: service.rssMb(), flows };
      }

      step('notifications: a backlog of 10,000 Result notifications');
      const notifications = await notificationBacklog(deps.db, sink, merchants[0]!.id);

      return { feeBlocks, noFeeBlocks, withFee, withoutFee, viaOne, viaTwo, payoutResult, duringRun, paid, csv, memory, soak, notifications };
    })();
    const ifFull = <T>(section: (f: NonNullable<typeof full>) => T): T | null => (full ? section(full) : null);

    step('checks');
    await new Promise((r) => setTimeout(r, 500));
    const ledger = await checkLedger(deps);
    const doubleOrMissing = await paymentsWithoutSingleDebit(db);
    const rssEnd = service.rssMb();

    const report = {
      date: started.toISOString(),
      machine: { cores: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', memory_gb: round(os.totalmem() / 2 ** 30), node: process.version, postgres: server.source },
      settings: {
        concurrency: CONCURRENCY, phase_seconds: SECONDS, pgbench: PGBENCH, service: `lib/main.ts, NODE_ENV=production, LOG_LEVEL=info, DB_POOL_MAX=${opts.pool}, SMS over the http gateway to a local sink`,
        ledger: LEDGER, core: CORE,
      },
      pgbench_tps: round(pgbench.tps),
      koa_bare_rps: round(koa.rps),
      // the floor of a flow on this machine: 2 commits (create with code, confirm) and 4 HTTP exchanges
      limit_flows_per_second: round(1 / (2 / pgbench.tps + 4 / koa.rps)),
      flows_per_limit: round(peak.flowsPerSecond * (2 / pgbench.tps + 4 / koa.rps), 3),
      flows_per_second: round(peak.flowsPerSecond),
      flows_per_pgbench_tps: round(peak.flowsPerSecond / pgbench.tps, 3),
      hot_merchant_flows_per_second: round(hotRun.flowsPerSecond),
      hot_merchant_ratio: round(hotRun.flowsPerSecond / peak.flowsPerSecond, 3),
      half_rate_flows_per_second: round(half.flowsPerSecond),
      confirm_p99_ms: half.confirm.p99,
      // the transfer path alone (no HTTP, no payment): pgledger measures 0.6–0.85 × pgbench for its own
      ledger_transfers_per_second: round(ledgerRun.transfersPerSecond),
      ledger_per_pgbench_tps: round(ledgerRun.transfersPerSecond / pgbench.tps, 3),
      // the same function as one autocommitted statement, pgledger's own shape: what BEGIN and COMMIT round trips cost
      ledger_one_statement_transfers_per_second: ledgerRun.oneStatement ? round(ledgerRun.oneStatement.transfersPerSecond) : null,
      ledger_one_statement_per_pgbench_tps: ledgerRun.oneStatement ? round(ledgerRun.oneStatement.transfersPerSecond / pgbench.tps, 3) : null,
      notifications_per_second: ifFull((f) => round(f.notifications.perSecond)),
      fee_flows_per_second: ifFull((f) => round(f.withFee.flowsPerSecond)),
      no_fee_flows_per_second: ifFull((f) => round(f.withoutFee.flowsPerSecond)),
      fee_ratio: ifFull((f) => round(f.withFee.flowsPerSecond / f.withoutFee.flowsPerSecond, 3)),
      fee_blocks_flows_per_second: ifFull((f) => ({ with_fee: f.feeBlocks.map((b) => round(b.flowsPerSecond)), without: f.noFeeBlocks.map((b) => round(b.flowsPerSecond)) })),
      haproxy: ifFull((f) => ({
        one_instance_flows_per_second: round(f.viaOne.flowsPerSecond),
        two_instances_flows_per_second: round(f.viaTwo.flowsPerSecond),
        two_vs_one: round(f.viaTwo.flowsPerSecond / f.viaOne.flowsPerSecond, 3),
      })),
      csv_export: ifFull(({ csv }) => ({ rows: csv.rows, seconds: round(csv.seconds, 2), rows_per_second: round(csv.rowsPerSecond), rss_before_mb: csv.rssBeforeMb, rss_peak_mb: csv.rssPeakMb })),
      payout_run: ifFull((f) => ({
        merchants: PAYOUT_MERCHANTS, sales_each: PAYOUT_SALES, seconds: round(f.payoutResult.seconds, 2), payouts_by_this_run: f.payoutResult.created, skipped: f.payoutResult.skipped,
        payouts_in_database: f.paid.payouts, wallets_paid: f.paid.wallets,
        confirm_p99_ms_during_run: f.duringRun.confirm.p99, confirm_p99_ms_half_rate_without: half.confirm.p99,
        run_covered_the_whole_load_phase: f.payoutResult.seconds >= f.duringRun.seconds,
      })),
      latency_ms: {
        peak: { create: peak.create, confirm: peak.confirm, flow: peak.flow }, hot: { create: hotRun.create, confirm: hotRun.confirm }, half_rate: { create: half.create, confirm: half.confirm, flow: half.flow },
        ledger_transfer: ledgerRun.latency,
      },
      errors: {
        peak: peak.errors, hot: hotRun.errors, half_rate: half.errors, ledger: ledgerRun.errors + (ledgerRun.oneStatement?.errors ?? 0),
        fee: ifFull((f) => f.withFee.errors), no_fee: ifFull((f) => f.withoutFee.errors), payout_run: ifFull((f) => f.duringRun.errors),
        haproxy_one: ifFull((f) => f.viaOne.errors), haproxy_two: ifFull((f) => f.viaTwo.errors),
        samples: [
          ...(full ? [...full.viaOne.errorSamples, ...full.viaTwo.errorSamples] : []), ...peak.errorSamples, ...hotRun.errorSamples, ...half.errorSamples,
          ...(full ? [...full.withFee.errorSamples, ...full.withoutFee.errorSamples, ...full.duringRun.errorSamples] : []), ...ledgerRun.errorSamples,
        ],
      },
      flows: { peak: peak.flows, hot: hotRun.flows, half_rate: half.flows },
      ledger_transfers: ledgerRun.transfers,
      notifications: ifFull((f) => f.notifications),
      rss_mb: { after_warmup: rssStart, at_end: rssEnd },
      memory: ifFull(({ memory }) => ({
        rss_before_mb: memory.rssBeforeMb, hosted_page_sessions: memory.sessions, rss_with_sessions_mb: memory.rssWithSessionsMb,
        office_event_streams: memory.streams, rss_with_sessions_and_streams_mb: memory.rssWithStreamsMb, failures: memory.failures,
      })),
      soak: full?.soak ? { minutes: full.soak.minutes, rss_start_mb: full.soak.rssStartMb, rss_end_mb: full.soak.rssEndMb, flows: full.soak.flows.flows, errors: full.soak.flows.errors, error_samples: full.soak.flows.errorSamples } : null,
      checks: { ledger_ok: ledger.ok, payments_without_single_debit: doubleOrMissing.length },
      // a phase with any error measured error handling, not the service: it is marked, and the run fails
      invalid_phases: Object.entries({
        peak: peak.errors, hot: hotRun.errors, half_rate: half.errors, ledger: ledgerRun.errors + (ledgerRun.oneStatement?.errors ?? 0),
        ...(full && {
          fee: full.withFee.errors, no_fee: full.withoutFee.errors, haproxy_one: full.viaOne.errors, haproxy_two: full.viaTwo.errors, payout_run: full.duringRun.errors,
          soak: full.soak?.flows.errors ?? 0, notifications: full.notifications.count - full.notifications.delivered,
        }),
      }).filter(([, n]) => n > 0).map(([phase]) => phase),
      targets: {
        flows_per_limit: { target: '≥ 0.5', met: peak.flowsPerSecond * (2 / pgbench.tps + 4 / koa.rps) >= 0.5 },
        flows_vs_pgbench: { target: '≥ 0.4', met: peak.flowsPerSecond / pgbench.tps >= 0.4 },
        hot_merchant: { target: '≥ 0.8', met: hotRun.flowsPerSecond / peak.flowsPerSecond >= 0.8 },
        confirm_p99_at_half_peak: { target: '≤ 50 ms', met: half.confirm.p99 <= 50 },
        notifications: ifFull((f) => ({ target: '≥ 1000/s', met: f.notifications.perSecond >= 1000 })),
        fee_cost: ifFull((f) => ({ target: '≥ 0.95', met: f.withFee.flowsPerSecond / f.withoutFee.flowsPerSecond >= 0.95 })),
      },
    };
    printTable(report);
    mkdirSync('bench/results', { recursive: true });
    // --core writes its own file: a quick before/after alternation never overwrites the committed full run
    const written = CORE ? 'bench/results/core-latest.json' : 'bench/results/latest.json';
    writeFileSync(written, `${JSON.stringify(report, null, 2)}\n`);
    if (!CORE) writeFileSync(`bench/results/${started.toISOString().slice(0, 10)}.json`, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`\nwritten to ${written}`);
    const failedFull = full !== null && (full.memory.sessions !== 1000 || full.memory.streams !== 100 || full.paid.payouts !== PAYOUT_MERCHANTS
      || full.paid.wallets !== PAYOUT_MERCHANTS || full.csv.rows < 100_000);
    const failedChecks = !ledger.ok || doubleOrMissing.length > 0 || report.invalid_phases.length > 0 || failedFull;
    if (failedChecks) process.exitCode = 1;
  } finally {
    for (const cleanup of cleanups) await cleanup().catch((err) => console.error('cleanup:', (err as Error).message));
  }
}

async function notificationBacklog(db: Parameters<typeof insertNotification>[0], sink: Sink, merchantId: MerchantId) {
  const count = 10_000;
  await waitUntilNoPending(db);
  sink.results = 0;
  // the whole backlog is written first, due an hour from now, and then made due in one statement: the
  // sweeper must find 10,000 rows waiting, not keep pace with the bench writing them (which is what an
  // earlier version measured on a slow minute: 954/s, with the last row written 7 s into the delivery)
  const createdAt = new Date();
  const notYet = new Date(createdAt.getTime() + 3_600_000);
  const ids: string[] = [];
  for (let i = 0; i < count; i += 100) {
    await Promise.all(
      Array.from({ length: Math.min(100, count - i) }, (_, j) => {
        const id = newId('ntf');
        ids.push(id);
        return insertNotification(db, {
          id, merchantId, paymentId: null, kind: 'result', eventType: null, url: sink.url('/result'),
          contentType: 'application/x-www-form-urlencoded', body: `LMI_TELEPAT_ORDERID=bench-${i + j}`, createdAt, nextAttemptAt: notYet,
        });
      }),
    );
  }
  await query(db, 'update notifications set next_attempt_at = now() where id = any(?)', [ids]);
  const dueAt = performance.now();
  const deadline = Date.now() + 120_000;
  while (sink.results < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const deliverySeconds = (sink.lastResultAt - sink.firstResultAt) / 1000;
  return {
    count,
    delivered: sink.results,
    seconds_first_to_last: round(deliverySeconds, 2),
    seconds_from_due: round((sink.lastResultAt - dueAt) / 1000, 2),
    perSecond: sink.results / Math.max(deliverySeconds, 0.001),
  };
}

/** Several blocks of one configuration as one phase: flows and seconds summed, errors kept. */
function combine(blocks: PhaseResult[]): PhaseResult {
  const flows = blocks.reduce((n, b) => n + b.flows, 0);
  const seconds = blocks.reduce((n, b) => n + b.seconds, 0);
  return {
    ...blocks[0]!, flows, seconds, flowsPerSecond: flows / seconds,
    errors: blocks.reduce((n, b) => n + b.errors, 0), errorSamples: blocks.flatMap((b) => b.errorSamples).slice(0, 5),
  };
}

async function waitUntilNoPending(db: Parameters<typeof insertNotification>[0]) {
  for (let i = 0; i < 200 && (await countPending(db)) > 0; i++) await new Promise((r) => setTimeout(r, 100));
}

/** Runs a load phase with the buyers sent through HAProxy in front of these instances. */
async function throughBalancer(backends: string[], load: Buyers, phase: () => Promise<PhaseResult>): Promise<PhaseResult> {
  const balancer = await new Balancer(backends).start();
  const direct = load.baseUrl;
  load.baseUrl = balancer.url;
  try {
    return await phase();
  } finally {
    load.baseUrl = direct;
    await balancer.stop();
  }
}

function printTable(r: Record<string, any>) {
  const rows: [string, string, string][] = [
    ['pgbench TPC-B-like TPS (baseline)', String(r.pgbench_tps), `scale ${r.settings.pgbench.scale}, ${r.settings.pgbench.clients} clients`],
    ['bare Koa route, requests/s (baseline)', String(r.koa_bare_rps), `${r.settings.concurrency} connections`],
    ['pay flows/s (create → SMS → confirm)', String(r.flows_per_second), `${r.flows.peak} flows, ${r.errors.peak} errors`],
    ['limit flows/s = 1 / (2/pgbench + 4/koa)', String(r.limit_flows_per_second), 'a flow needs 2 commits and 4 HTTP exchanges at least'],
    ['flows/s ÷ limit', String(r.flows_per_limit), `target ${r.targets.flows_per_limit.target} ${r.targets.flows_per_limit.met ? 'met' : 'MISSED'}`],
    ['flows/s ÷ pgbench TPS', String(r.flows_per_pgbench_tps), `target ${r.targets.flows_vs_pgbench.target} ${r.targets.flows_vs_pgbench.met ? 'met' : 'MISSED'}`],
    ['hot merchant flows/s', String(r.hot_merchant_flows_per_second), `${r.flows.hot} flows, ${r.errors.hot} errors`],
    ['hot ÷ spread (100 merchants)', String(r.hot_merchant_ratio), `target ${r.targets.hot_merchant.target} ${r.targets.hot_merchant.met ? 'met' : 'MISSED'}`],
    ['create p50/p95/p99 ms at peak', `${r.latency_ms.peak.create.p50}/${r.latency_ms.peak.create.p95}/${r.latency_ms.peak.create.p99}`, ''],
    ['confirm p50/p95/p99 ms at peak', `${r.latency_ms.peak.confirm.p50}/${r.latency_ms.peak.confirm.p95}/${r.latency_ms.peak.confirm.p99}`, ''],
    ['confirm p99 ms at half the peak rate', String(r.confirm_p99_ms), `target ${r.targets.confirm_p99_at_half_peak.target} ${r.targets.confirm_p99_at_half_peak.met ? 'met' : 'MISSED'}`],
    ['ledger-only transfers/s (postTransfer, no HTTP)', String(r.ledger_transfers_per_second), `× ${r.ledger_per_pgbench_tps} pgbench TPS; ${r.settings.ledger.workers} workers, ${r.settings.ledger.wallets} wallets, ${r.ledger_transfers} transfers, ${r.errors.ledger} errors`],
    ['ledger-only, one autocommitted tp_transfer', String(r.ledger_one_statement_transfers_per_second ?? '—'), r.ledger_one_statement_per_pgbench_tps === null ? 'not in this tree' : `× ${r.ledger_one_statement_per_pgbench_tps} pgbench TPS (pgledger: 0.6–0.85)`],
    // --core runs none of these phases (their sections are null in its JSON)
    ...(r.settings.core ? [] : [
      ['flows/s with a 3 % fee ÷ without', String(r.fee_ratio), `${r.fee_flows_per_second} vs ${r.no_fee_flows_per_second}; target ${r.targets.fee_cost.target} ${r.targets.fee_cost.met ? 'met' : 'MISSED'}`],
      ['flows/s through HAProxy: one instance → two', `${r.haproxy.one_instance_flows_per_second} → ${r.haproxy.two_instances_flows_per_second}`, `×${r.haproxy.two_vs_one} (2 cores shared by PostgreSQL, the instances and the load)`],
      [`payout run, ${r.payout_run.merchants} merchants × ${r.payout_run.sales_each} sales, s`, String(r.payout_run.seconds), `${r.payout_run.payouts_in_database} payouts, one per wallet: ${r.payout_run.wallets_paid === r.payout_run.payouts_in_database} (${r.payout_run.payouts_by_this_run} by this run)`],
      ['confirm p99 ms during the payout run (without)', `${r.payout_run.confirm_p99_ms_during_run} (${r.payout_run.confirm_p99_ms_half_rate_without})`, r.payout_run.run_covered_the_whole_load_phase ? 'the run lasted the whole phase' : 'the run ended before the phase'],
      ['office CSV export rows/s (100,000 payments)', String(r.csv_export.rows_per_second), `${r.csv_export.rows} rows in ${r.csv_export.seconds} s; service RSS ${r.csv_export.rss_before_mb} → peak ${r.csv_export.rss_peak_mb} MB`],
      ['Result notifications/s (10,000 backlog)', String(r.notifications_per_second), `target ${r.targets.notifications.target} ${r.targets.notifications.met ? 'met' : 'MISSED'}`],
      ['service RSS MB: 1,000 hosted pages, then 100 streams', `${r.memory.rss_before_mb} → ${r.memory.rss_with_sessions_mb} → ${r.memory.rss_with_sessions_and_streams_mb}`, `${r.memory.hosted_page_sessions} sessions, ${r.memory.office_event_streams} office event streams open`],
    ] as [string, string, string][]),
    ['service RSS MB (after warm-up → end)', `${r.rss_mb.after_warmup} → ${r.rss_mb.at_end}`, r.soak ? `soak 10 min: ${r.soak.rss_start_mb} → ${r.soak.rss_end_mb}` : r.settings.core ? 'soak: not with --core' : 'soak: run with --soak'],
    ['ledger check / payments without one debit', `${r.checks.ledger_ok ? 'ok' : 'FAILED'} / ${r.checks.payments_without_single_debit}`, ''],
  ];
  const w0 = Math.max(...rows.map((x) => x[0].length));
  const w1 = Math.max(...rows.map((x) => x[1].length));
  console.log(`\ntelepurse bench ${r.date}, ${r.machine.cores} cores, ${r.machine.memory_gb} GiB, ${r.machine.postgres}\n`);
  for (const [a, b, c] of rows) console.log(`${a.padEnd(w0)}  ${b.padStart(w1)}  ${c}`);
  if (r.invalid_phases.length) console.log(`\nINVALID phases (they had errors; their figures measure error handling): ${r.invalid_phases.join(', ')}`);
  if (r.errors.samples.length) console.log('\nerror samples:', r.errors.samples);
  if (r.memory?.failures.length) console.log('\nhosted pages that did not open:', r.memory.failures);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
