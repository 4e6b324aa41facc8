import type { Deps } from './deps.js';
import { countLedger, findLedgerProblems, type LedgerProblems } from '../store/ledger-check.js';

export type LedgerReport = { ok: boolean; checkedAt: string; counts: Awaited<ReturnType<typeof countLedger>>; problems: LedgerProblems };

/** Recomputes every balance from the postings and proves the double-entry invariants. */
export async function checkLedger(deps: Pick<Deps, 'db' | 'clock'>): Promise<LedgerReport> {
  const [problems, counts] = await Promise.all([findLedgerProblems(deps.db), countLedger(deps.db)]);
  const ok = Object.values(problems).every((list) => list.length === 0);
  return { ok, checkedAt: deps.clock.now().toISOString(), counts, problems };
}
