import type { Deps } from '../shared/deps.js';
import * as overview from '../../store/console-overview.js';
import { lastLedgerCheck } from '../../store/ledger-checks.js';
import { listConsoleAudit, type ConsoleAuditFilter } from '../../store/console-audit.js';
import { MINUTE_MS } from '../../domain/time.js';

const DAY = 24 * 60 * MINUTE_MS;

/** Counts per minute over the last 24 hours, oldest first, the minutes without any included as zeros. */
function perMinute(rows: overview.MinuteCount[], from: number): number[] {
  const counts = new Array<number>(24 * 60).fill(0);
  for (const r of rows) {
    const i = Math.floor((r.minute.getTime() - from) / MINUTE_MS);
    if (i >= 0 && i < counts.length) counts[i] = r.n;
  }
  return counts;
}

/**
 * The console's overview (docs/operator-guide.md#operator-console): today's payments (UTC day) and paid volume per currency, SMS sent
 * in the last minute against the budget and today, dead notifications, pending payouts, the last ledger check, and the 24-hour series.
 */
export async function readOverview(deps: Pick<Deps, 'db' | 'clock' | 'config'>) {
  const now = deps.clock.now();
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const minuteStart = new Date(Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS);
  const from = minuteStart.getTime() - DAY + MINUTE_MS;
  const [payments, smsToday, smsThisMinute, dead, payouts, ledger, paymentSeries, smsSeries] = await Promise.all([
    overview.paymentsSince(deps.db, today), overview.smsSince(deps.db, today), overview.smsSince(deps.db, minuteStart),
    overview.countDeadNotifications(deps.db), overview.pendingPayouts(deps.db), lastLedgerCheck(deps.db),
    overview.paymentsPerMinute(deps.db, new Date(from)), overview.smsPerMinute(deps.db, new Date(from)),
  ]);
  return {
    now, paymentsToday: payments.created, volume: payments.volume, smsToday, smsThisMinute, smsBudgetPerMinute: deps.config.limits.smsBudgetPerMinute,
    deadNotifications: dead, pendingPayouts: payouts, ledgerCheck: ledger ?? null,
    series: { from: new Date(from), payments: perMinute(paymentSeries, from), sms: perMinute(smsSeries, from) },
  };
}

/** Every operator action, newest first, filtered (docs/operator-guide.md#operator-console). */
export function readConsoleAudit(deps: Pick<Deps, 'db'>, f: ConsoleAuditFilter) {
  return listConsoleAudit(deps.db, f);
}
