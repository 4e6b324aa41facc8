import cron, { type ScheduledTask } from 'node-cron';
import type { PayDeps } from '../use-cases/deps.js';
import { expireDuePayments } from '../use-cases/expire-payments.js';
import { purgeLapsedIdempotencyKeys } from '../use-cases/idempotency-keys.js';
import { voidExpiredAuthorizations } from '../use-cases/void-payment.js';
import { runScheduledPayouts } from '../use-cases/run-scheduled-payouts.js';
import { purgeLapsedLimits } from '../use-cases/purge-lapsed-limits.js';

export type Job = { name: string; schedule: string; run: () => Promise<unknown> };

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
    { name: 'deliver-notifications', schedule: '*/5 * * * * *', run: () => deps.notifier.sweep() },
    { name: 'expire-payments', schedule: '*/30 * * * * *', run: () => expireDuePayments(deps) },
    { name: 'void-expired-authorizations', schedule: '*/5 * * * *', run: () => voidExpiredAuthorizations(deps) },
    { name: 'purge-idempotency-keys', schedule: '17 * * * *', run: () => purgeLapsedIdempotencyKeys(deps) },
    { name: 'purge-lapsed-limits', schedule: '23 * * * *', run: () => purgeLapsedLimits(deps) },
    // every 10 minutes: a period's payouts are made at its first run, a wallet busy then at the next
    { name: 'scheduled-payouts', schedule: '*/10 * * * *', run: () => runScheduledPayouts(deps) },
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
              await job.run();
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
