import { parseArgs } from 'node:util';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import type { Knex } from '../lib/postgres/db.js';
import { provisionPostgres } from '../tools/postgres.js';
import { dropDatabase } from '../lib/postgres/database-admin.js';
import { applyRetention } from '../lib/use-cases/buyers/apply-retention.js';
import { benchDatabase, createBuyers, createMerchants, type BenchMerchant } from './setup.js';
import { Buyers, closedLoop, type Recorders } from './load.js';
import { benchServiceEnv, startService } from './service.js';
import { Latencies, now, round } from './stats.js';

// docs/operator-guide.md#personal-data-what-is-kept-for-how-long-and-why: the daily retention job on `payments` old payments
// (each with an SMS and a delivered Result), measured while buyers confirm payments at the same time
const { values: opts } = parseArgs({
  options: {
    payments: { type: 'string', default: '1000000' },
    concurrency: { type: 'string', default: '16' },
    seconds: { type: 'string', default: '15' },
    instances: { type: 'string', default: '2' },
    pool: { type: 'string', default: '20' },
  },
});
const PAYMENTS = Number(opts.payments);
const CONCURRENCY = Number(opts.concurrency);
const step = (what: string) => console.log(`· ${what}`);

/** Ended payments older than the window, by SQL in chunks (through the API it would take hours): each with a code SMS and a Result body naming the phone. */
async function seedOldPayments(db: Knex, merchants: BenchMerchant[], count: number): Promise<void> {
  const shops = (await db.raw(`select id, merchant_id from shops where merchant_id = any(?) order by merchant_id`, [merchants.map((m) => m.id)])).rows as { id: string; merchant_id: string }[];
  const CHUNK = 50_000;
  for (let from = 1; from <= count; from += CHUNK) {
    const to = Math.min(count, from + CHUNK - 1);
    for (const [m, i] of merchants.map((m, i) => [m, i] as const)) {
      const args = [m.id, shops.find((s) => s.merchant_id === m.id)!.id, m.purse, from, to, merchants.length, i];
      await db.raw(`
        insert into payments (id, merchant_id, shop_id, payee_purse, currency, mode, amount, status, source, capture_mode, success_method, fail_method,
                              phone, payment_no, description, metadata, failure_reason, created_at, updated_at, expires_at, closed_at)
        select 'pay_ret' || lpad(g::text, 21, '0'), ?, ?, ?, 'USD', 'live', 100 + g % 1000, 'failed', 'api', 'automatic', 'GET', 'GET',
               '7904' || lpad((g % 10000000)::text, 7, '0'), g, 'Retention bench order ' || g, jsonb_build_object('order_ref', 'R-' || g), 'cancelled',
               now() - interval '800 days' - make_interval(secs => g), now() - interval '800 days', now() - interval '800 days', now() - interval '800 days' - make_interval(secs => g)
        from generate_series(?::int, ?::int) g where g % ? = ?`, args);
    }
    await db.raw(`
      insert into sms_messages (id, merchant_id, payment_id, mode, kind, phone, text_redacted, lang, status, created_at, updated_at)
      select 'sms_ret' || substr(p.id, 8), p.merchant_id, p.id, 'live', 'code', p.phone, 'Pay 1.00 USD to Bench Shop: code ####', 'en', 'delivered', p.created_at, p.created_at
      from payments p where p.id between 'pay_ret' || lpad(?::text, 21, '0') and 'pay_ret' || lpad(?::text, 21, '0')`, [from, to]);
    await db.raw(`
      insert into notifications (id, merchant_id, payment_id, shop_id, kind, content_type, body, status, created_at, delivered_at)
      select 'ntf_ret' || substr(p.id, 8), p.merchant_id, p.id, p.shop_id, 'result', 'application/x-www-form-urlencoded',
             'LMI_PAYMENT_NO=' || p.payment_no || '&LMI_PAYER_PHONE=' || p.phone || '&LMI_PAYMENT_DESC=Retention+bench', 'delivered', p.created_at, p.created_at
      from payments p where p.id between 'pay_ret' || lpad(?::text, 21, '0') and 'pay_ret' || lpad(?::text, 21, '0')`, [from, to]);
    step(`  seeded ${to} old payments`);
  }
  await db.raw('analyze');
}

/** Flows recorded twice: into the phase's own recorders, and into `into` (every flow of a run of phases). */
function alsoInto(into: Recorders) {
  return (rec: Recorders): Recorders => ({
    create: { add: (ms: number) => (rec.create.add(ms), into.create.add(ms)) } as unknown as Latencies,
    confirm: { add: (ms: number) => (rec.confirm.add(ms), into.confirm.add(ms)) } as unknown as Latencies,
    flow: { add: (ms: number) => (rec.flow.add(ms), into.flow.add(ms)) } as unknown as Latencies,
  });
}

async function main() {
  const started = new Date();
  const server = await provisionPostgres();
  step(`PostgreSQL: ${server.source}`);
  const dbName = `telepurse_retention_${process.pid}`;
  const cleanups: (() => Promise<unknown>)[] = [() => server.stop(), () => dropDatabase(server.url, dbName)];
  try {
    const { dbUrl, db, sink, dataKey, deps } = await benchDatabase(server.url, dbName, 10, cleanups);
    step('merchants and buyers');
    const merchants = await createMerchants(deps, 10, sink.url('/result'));
    const buyers = await createBuyers(deps, Math.max(2000, CONCURRENCY * 200), 100_000n);
    step(`${PAYMENTS} payments that ended 800 days ago`);
    const seedStart = now();
    await seedOldPayments(db, merchants, PAYMENTS);
    const seedSeconds = (now() - seedStart) / 1000;

    step('service process');
    const service = await startService(benchServiceEnv({ dbUrl, dataKey, smsUrl: sink.url('/sms'), pool: opts.pool! }));
    cleanups.unshift(() => service.stop());
    const load = new Buyers(service.url, sink, buyers);
    let turn = 0;
    const flow = (rec: Recorders) => load.flow(merchants[turn++ % merchants.length]!, rec);
    await closedLoop(flow, 4, 3, 500);

    step(`confirms before the job: ${CONCURRENCY} buyers, ${opts.seconds} s`);
    const before = await closedLoop(flow, CONCURRENCY, Number(opts.seconds), 1_000_000);

    step(`the job (${opts.instances} instances at once) while ${CONCURRENCY} buyers confirm`);
    const during: Recorders = { create: new Latencies(), confirm: new Latencies(), flow: new Latencies() };
    const jobStart = now();
    let jobDone = false;
    const job = Promise.all(Array.from({ length: Number(opts.instances) }, () => applyRetention(deps, { maxMs: 6 * 3600_000 })))
      .then((runs) => ((jobDone = true), { seconds: (now() - jobStart) / 1000, runs }));
    let errors = 0;
    while (!jobDone) errors += (await closedLoop((rec) => flow(alsoInto(during)(rec)), CONCURRENCY, 2, 1_000_000)).errors;
    const { seconds: jobSeconds, runs } = await job;

    const left = (await db.raw(`select count(*)::int as n from payments where redacted_at is null and status = 'failed' and closed_at < now() - interval '730 days'`)).rows[0].n as number;
    const report = {
      started_at: started.toISOString(),
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memory_gb: round(os.totalmem() / 2 ** 30) },
      postgres: server.source,
      payments: PAYMENTS,
      seed_seconds: round(seedSeconds),
      job: {
        instances: Number(opts.instances), seconds: round(jobSeconds, 2), payments_per_second: round(PAYMENTS / jobSeconds),
        per_instance: runs, payments_left: left,
      },
      confirm_before: before.confirm,
      confirm_during: { ...during.confirm.summary(), errors },
      flows_per_second_before: round(before.flowsPerSecond),
      flows_per_second_during: round(during.flow.count / jobSeconds),
    };
    console.log(JSON.stringify(report, null, 2));
    mkdirSync('bench/results', { recursive: true });
    writeFileSync(`bench/results/retention-${PAYMENTS}-${started.toISOString().slice(0, 10)}.json`, `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync('bench/results/retention-latest.json', `${JSON.stringify(report, null, 2)}\n`);
    if (left !== 0 || runs.reduce((n, r) => n + r.payments, 0) !== PAYMENTS) process.exitCode = 1;
  } finally {
    for (const close of cleanups) await close().catch((err) => console.error(err));
  }
}

await main();
