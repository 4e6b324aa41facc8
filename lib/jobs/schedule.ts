import cron, { type ScheduledTask } from 'node-cron';
import type { PayDeps } from '../use-cases/shared/deps.js';
import { expireDuePayments } from '../use-cases/payments/expire-payments.js';
import { purgeLapsedIdempotencyKeys } from '../use-cases/shared/idempotency-keys.js';
import { voidExpiredAuthorizations } from '../use-cases/payments/void-payment.js';
import { runScheduledPayouts } from '../use-cases/payouts/run-scheduled-payouts.js';
import { purgeLapsedLimits } from '../use-cases/limits/purge-lapsed-limits.js';
import { purgePasskeyChallenges } from '../use-cases/users/purge-passkey-challenges.js';
import { deliveryLeaseMs } from '../notify/outbox.js';
import type { Logger } from '../log.js';
import { clearLapsedWebhookSecrets } from '../use-cases/shops/clear-retired-webhook-secrets.js';
import { expireVouchers } from '../use-cases/vouchers/expire-vouchers.js';
import { applyRetention } from '../use-cases/buyers/apply-retention.js';

/** `maxMs`: past it a run is no longer waited for, so one hung run cannot stop the later ones (default 5 minutes). */
export type Job = { name: string; schedule: string; run: () => Promise<unknown>; maxMs?: number };

const DEFAULT_JOB_MAX_MS = 5 * 60_000;

export type Jobs = {
  list: Job[];
  start(): void;
  stop(): Promise<void>;
};

/**
 * Every periodic job of the service, in one place. Each is safe when several instances run it at
 * once: work is claimed with FOR UPDATE SKIP LOCKED or is idempotent.
 */
export function createJobs(deps: PayDeps): Jobs {
  const list: Job[] = [
    // a sweep stops taking batches after 20 s; its last batch ends within the lease
    { name: 'deliver-notifications', schedule: '*/5 * * * * *', run: () => deps.notifier.sweep({ maxMs: 20_000 }), maxMs: 20_000 + deliveryLeaseMs(deps.config) + 5_000 },
    { name: 'expire-payments', schedule: '*/30 * * * * *', run: () => expireDuePayments(deps) },
    { name: 'void-expired-authorizations', schedule: '*/5 * * * *', run: () => voidExpiredAuthorizations(deps) },
    { name: 'purge-idempotency-keys', schedule: '17 * * * *', run: () => purgeLapsedIdempotencyKeys(deps) },
    { name: 'purge-lapsed-limits', schedule: '23 * * * *', run: () => purgeLapsedLimits(deps) },
    { name: 'purge-passkey-challenges', schedule: '29 * * * *', run: () => purgePasskeyChallenges(deps) },
    // a rotated-out webhook secret signs 24 h (lib/notify/keyring.ts), then leaves the database within 15 minutes
    { name: 'clear-retired-webhook-secrets', schedule: '*/15 * * * *', run: () => clearLapsedWebhookSecrets(deps) },
    // every 10 minutes: a period's payouts are made at its first run, a wallet busy then at the next
    { name: 'scheduled-payouts', schedule: '*/10 * * * *', run: () => runScheduledPayouts(deps) },
    // docs/operator-guide.md#vouchers-and-cash-in: each expired voucher's money back to issuance, once whatever the number of instances
    { name: 'expire-vouchers', schedule: '*/5 * * * *', run: () => expireVouchers(deps) },
    // daily, in batches of short transactions; a run stops after 20 minutes and the next goes on (docs/operator-guide.md#personal-data-what-is-kept-for-how-long-and-why)
    { name: 'personal-data-retention', schedule: '41 3 * * *', run: () => applyRetention(deps, { maxMs: 20 * 60_000 }), maxMs: 25 * 60_000 },
  ];
  const tasks: ScheduledTask[] = [];
  return {
    list,
    start() {
      for (const job of list) {
        const task = cron.createTask(
          job.schedule,
          async () => {
            try {
              await runWithin(job, deps.log);
            } catch (err) {
              deps.log.error({ err, job: job.name }, 'job failed');
            }
          },
          { name: job.name, noOverlap: true },
        );
        task.start();
        tasks.push(task);
      }
    },
    async stop() {
      await Promise.all(tasks.splice(0).map((t) => t.destroy()));
    },
  };
}

/**
 * Runs a job, waiting at most its maxMs: node-cron skips a run while the previous one is awaited, so a
 * run that hangs would stop the job for good. Past maxMs it goes on unawaited (every job is safe to
 * overlap: work is claimed with SKIP LOCKED or is idempotent) and the next run starts on time.
 */
async function runWithin(job: Job, log: Logger): Promise<void> {
  const maxMs = job.maxMs ?? DEFAULT_JOB_MAX_MS;
  let timer: NodeJS.Timeout | undefined;
  const run = job.run();
  const LATE = Symbol('late');
  const late = new Promise<typeof LATE>((resolve) => (timer = setTimeout(() => resolve(LATE), maxMs)));
  try {
    if ((await Promise.race([run, late])) === LATE) {
      log.error({ job: job.name, maxMs }, 'job still running past its time: no longer waited for');
      run.catch((err) => log.error({ err, job: job.name }, 'job failed'));
    }
  } finally {
    clearTimeout(timer);
  }
}
