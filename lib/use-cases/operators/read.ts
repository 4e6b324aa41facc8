import type { Deps } from '../shared/deps.js';
import { ping } from '../../postgres/db.js';
import { dumpSchema } from '../../postgres/schema-dump.js';
import { countLedger, findLedgerProblems, type LedgerProblems } from '../../store/ledger-check.js';
import { insertLedgerCheck } from '../../store/ledger-checks.js';
import { listFeeWallets as feeWalletsOf } from '../../store/wallets.js';
import { countPendingAlerts, summarizeOutbox } from '../../store/notifications.js';
import { countPaymentsByStatus } from '../../store/payments.js';
import type { Currency } from '../../domain/currency.js';
import type { Mode } from '../../domain/ledger.js';
import type { FeeWallet } from '../../domain/wallet.js';

/** What the operator and its tools read about the service as a whole: readiness, the ledger, fee wallets, gauges, the schema. */

/** /ready: whether the database answers within the timeout and takes writes (a primary). */
export async function databaseAnswers(deps: Pick<Deps, 'db'>): Promise<boolean> {
  return ping(deps.db).then(() => true, () => false);
}

export type LedgerReport = { ok: boolean; checkedAt: string; counts: Awaited<ReturnType<typeof countLedger>>; problems: LedgerProblems };

/** Recomputes every balance from the postings and proves the double-entry invariants. */
export async function checkLedger(deps: Pick<Deps, 'db' | 'clock'>, onProgress?: (done: number, total: number) => void): Promise<LedgerReport> {
  const [problems, counts] = await Promise.all([findLedgerProblems(deps.db, onProgress), countLedger(deps.db)]);
  const ok = Object.values(problems).every((list) => list.length === 0);
  const checkedAt = deps.clock.now();
  // the console's overview shows the last outcome (docs/operator-guide.md#operator-console)
  await insertLedgerCheck(deps.db, { checkedAt, ok, problems: Object.values(problems).reduce((n, list) => n + list.length, 0) });
  return { ok, checkedAt: checkedAt.toISOString(), counts, problems };
}

/** The fee wallets of the operator, one per currency and mode, all its accounts summed. */
export function listFeeWallets(deps: Pick<Deps, 'db'>, f: { currency?: Currency; mode?: Mode }): Promise<FeeWallet[]> {
  return feeWalletsOf(deps.db, f);
}

/** The counts /metrics reads from the database when it is scraped. */
export function serviceGaugeReaders(deps: Pick<Deps, 'db' | 'clock'>) {
  return {
    payments: () => countPaymentsByStatus(deps.db),
    notifications: () => summarizeOutbox(deps.db, deps.clock.now()),
    pendingAlerts: () => countPendingAlerts(deps.db),
  };
}

/** The schema of the database as text, for the committed snapshot (migrations/schema.sql). */
export function describeSchema(deps: Pick<Deps, 'db'>): Promise<string> {
  return dumpSchema(deps.db);
}
