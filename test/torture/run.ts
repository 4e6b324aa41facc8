import { mkdirSync, writeFileSync } from 'node:fs';
import { crashLoop, databaseFaults, type PhaseResult } from './phases.js';
import { modelRuns, type ModelResult } from './model.js';
import { endProcess } from '../../tools/postgres.js';

/**
 * `npm run torture`: the crash loop, the database faults and the model-based sequences, against a
 * PostgreSQL and service processes of its own on 127.0.0.1. Bounded by counts; writes
 * bench/results/torture-latest.json and exits non-zero on any violation.
 */
export type TortureOptions = { payments: number; clients: number; crashes: number; dbRestarts: number; sequences: number; seed: number };

export const FULL: TortureOptions = { payments: 1000, clients: 32, crashes: 20, dbRestarts: 5, sequences: 200, seed: 20261201 };

export async function torture(o: TortureOptions, log: (line: string) => void = console.log) {
  log(`torture: ${o.payments} payments from ${o.clients} clients, ${o.crashes} kills, ${o.dbRestarts} database restarts, ${o.sequences} sequences, seed ${o.seed}`);
  const phases: PhaseResult[] = [];
  phases.push(await crashLoop({ payments: o.payments, clients: o.clients, crashes: o.crashes, seed: o.seed, log }));
  phases.push(await databaseFaults({ payments: Math.ceil(o.payments / 2), clients: o.clients, restarts: o.dbRestarts, seed: o.seed + 1, log }));
  const model: ModelResult = await modelRuns({ sequences: o.sequences, seed: o.seed + 2 });
  const violations = [...phases.flatMap((p) => p.violations.map((v) => `${p.name}: ${v}`)), ...model.violations];
  const summary = {
    at: new Date().toISOString(),
    seed: o.seed,
    operations: phases.reduce((n, p) => n + p.operations, 0) + model.commands,
    crashes: phases.reduce((n, p) => n + p.crashes, 0),
    db_restarts: phases.reduce((n, p) => n + p.db_restarts, 0),
    sequences: model.sequences,
    invariants_checked: phases.reduce((n, p) => n + p.invariants_checked, 0) + model.checks,
    vouchers_redeemed: phases.reduce((n, p) => n + p.vouchers_redeemed, 0),
    violations: violations.length,
    phases,
    model,
    violation_samples: violations.slice(0, 20),
  };
  log('');
  log('| phase | payments | operations | kills | db restarts | acknowledged | vouchers redeemed (posts, races, won against a void) | invariants checked | duplicate Results | violations | seconds |');
  log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const p of phases) {
    log(`| ${p.name} | ${p.payments} | ${p.operations} | ${p.crashes} | ${p.db_restarts} | ${p.acknowledged} | ${p.vouchers_redeemed} (${p.voucher_redeem_posts}, ${p.voucher_races}, ${p.vouchers_redeemed_before_void}) | ${p.invariants_checked} | ${p.duplicate_results} | ${p.violations.length} | ${p.seconds} |`);
  }
  log(`| model-based sequences | — | ${model.commands} commands | — | — | — | — | ${model.checks} | — | ${model.violations.length} | ${model.seconds} |`);
  log('');
  for (const v of summary.violation_samples) log(`VIOLATION ${v}`);
  return summary;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
  const options: TortureOptions = {
    payments: arg('payments', FULL.payments), clients: arg('clients', FULL.clients), crashes: arg('crashes', FULL.crashes),
    dbRestarts: arg('db-restarts', FULL.dbRestarts), sequences: arg('sequences', FULL.sequences), seed: arg('seed', FULL.seed),
  };
  const summary = await torture(options);
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/torture-latest.json', `${JSON.stringify(summary, null, 2)}\n`);
  console.log('wrote bench/results/torture-latest.json');
  endProcess(summary.violations === 0 ? 0 : 1);
}
