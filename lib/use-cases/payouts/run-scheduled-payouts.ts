import type { Deps } from '../shared/deps.js';
import { listWalletsDueForPayout } from '../../store/payouts.js';
import { payoutPeriod } from '../../domain/balance.js';
import { createPayout, isSkipped } from './create-payout.js';

const WORKERS = 4;

export type PayoutRun = { created: number; skipped: Record<string, number> };

/**
 * One scheduled run (docs/merchant-guide.md#balance-payouts-and-statements): every wallet of a merchant on a schedule that has money available
 * and no payout of the current period gets one, each in its own short transaction. Any number of
 * instances may run it at once: a busy wallet is skipped (the next run takes it) and the unique
 * (wallet, period) index lets only one payout of a period exist.
 */
export async function runScheduledPayouts(deps: Pick<Deps, 'db' | 'clock' | 'log'>, onProgress?: (done: number, total: number) => void): Promise<PayoutRun> {
  const now = deps.clock.now();
  const periods = { daily: payoutPeriod('daily', now), weekly: payoutPeriod('weekly', now), monthly: payoutPeriod('monthly', now) };
  const due = await listWalletsDueForPayout(deps.db, now, periods);
  const run: PayoutRun = { created: 0, skipped: {} };
  const payOne = async (wallet: (typeof due)[number]) => {
    let outcome;
    try {
      outcome = await createPayout(deps, { trigger: 'schedule', purse: wallet.purse, period: wallet.period, minimum: wallet.minimum });
    } catch (err) {
      // one wallet's trouble must not stop the others' payouts; it stays due for the next run
      deps.log.error({ err, purse: wallet.purse }, 'scheduled payout failed');
      run.skipped.error = (run.skipped.error ?? 0) + 1;
      return;
    }
    if (isSkipped(outcome)) run.skipped[outcome.skipped] = (run.skipped[outcome.skipped] ?? 0) + 1;
    else run.created += 1;
  };
  // a few wallets at a time, each in its own short transaction: they lock different merchant wallets
  let next = 0;
  await Promise.all(Array.from({ length: WORKERS }, async () => {
    while (next < due.length) {
      await payOne(due[next++]!);
      onProgress?.(run.created + Object.values(run.skipped).reduce((a, b) => a + b, 0), due.length);
    }
  }));
  if (run.created > 0 || Object.keys(run.skipped).length > 0) deps.log.info({ ...run }, 'scheduled payouts run');
  return run;
}
