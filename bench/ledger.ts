import type { Deps } from '../lib/use-cases/shared/deps.js';
import { inTransaction, query } from '../lib/postgres/db.js';
import { postTransfer, type TransferRequest } from '../lib/ledger/transfer.js';
import { callTransfer } from '../lib/store/ledger.js';
import { findWalletByPhone } from '../lib/store/wallets.js';
import { createBuyers } from './setup.js';
import { Latencies, now } from './stats.js';

export type LedgerPhaseResult = {
  wallets: number; workers: number; transfers: number; errors: number; seconds: number; transfersPerSecond: number;
  latency: ReturnType<Latencies['summary']>; errorSamples: string[];
  /** The same transfers as one autocommitted call of tp_transfer, pgledger's shape (issue 37): no BEGIN and COMMIT round trips. */
  oneStatement?: Omit<LedgerPhaseResult, 'oneStatement'>;
};

// phones far above the buyers' (+7903 0000000 on, soak buyers included): the phase's wallets are its own
const FIRST_NUMBER = 9_000_000;

/**
 * Transfers per second through telepurse's own transfer path alone: `postTransfer`, each in its own
 * transaction as the use-cases call it, with no HTTP and no payment around it; `workers` in a closed
 * loop, each moving 1–100 minor units between two distinct wallets of `wallets` drawn at random.
 */
export async function ledgerPhase(deps: Deps, opts: { wallets: number; workers: number; seconds: number }): Promise<LedgerPhaseResult> {
  // fewer connections than workers would measure the pool's queue, not the ledger
  const poolMax = (deps.db.client.config as { pool?: { max?: number } }).pool?.max ?? 0;
  if (poolMax < opts.workers) throw new Error(`the ledger phase needs a pool of at least ${opts.workers} connections, not ${poolMax}`);
  // each wallet pays about half its transfers, at most 100 minor units each: 10,000.00 never runs dry
  const buyers = await createBuyers(deps, opts.wallets, 1_000_000n, FIRST_NUMBER);
  const purses = await Promise.all(buyers.map(async (b) => (await findWalletByPhone(deps.db, b.phone.slice(1), 'USD', 'live'))!.purse));

  const inOwnTransaction = (req: TransferRequest) => inTransaction(deps.db, (trx) => postTransfer(trx, req));
  const first = await measure(deps, purses, opts, inOwnTransaction);
  // the one statement exists from migrations/20261208100000_ledger_functions.ts on (a run of an older tree measures the first only)
  const [fn] = await query<{ exists: boolean }>(deps.db, `select to_regproc('tp_transfer') is not null as exists`);
  if (!fn!.exists) return first;
  const oneStatement = await measure(deps, purses, opts, async (req) => {
    const row = await callTransfer(deps.db, req);
    if (row.refusal) throw new Error(row.refusal);
  });
  return { ...first, oneStatement };
}

async function measure(deps: Deps, purses: string[], opts: { wallets: number; workers: number; seconds: number }, transfer: (req: TransferRequest) => Promise<unknown>) {
  const latency = new Latencies();
  const errors: string[] = [];
  const run = `bench-ledger-${process.pid}-${Date.now()}`;
  let n = 0;
  const transferOnce = async () => {
    const from = Math.floor(Math.random() * purses.length);
    const to = (from + 1 + Math.floor(Math.random() * (purses.length - 1))) % purses.length;
    const amount = BigInt(1 + Math.floor(Math.random() * 100));
    const key = `${run}-${n++}`;
    const start = now();
    await transfer({ key, kind: 'bench', currency: 'USD', mode: 'live', at: deps.clock.now(), legs: [{ purse: purses[from]!, amount: -amount }, { purse: purses[to]!, amount }] });
    latency.add(now() - start);
  };

  const deadline = now() + opts.seconds * 1000;
  const t0 = now();
  await Promise.all(Array.from({ length: opts.workers }, async () => {
    while (now() < deadline) await transferOnce().catch((err: Error) => void errors.push(err.message));
  }));
  const seconds = (now() - t0) / 1000;
  return {
    wallets: opts.wallets, workers: opts.workers, transfers: latency.count, errors: errors.length, seconds,
    transfersPerSecond: latency.count / seconds, latency: latency.summary(), errorSamples: errors.slice(0, 5),
  };
}
