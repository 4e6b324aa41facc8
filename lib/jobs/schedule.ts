import cron, { type ScheduledTask } from 'node-cron';
import type { AppDeps } from '../app.js';

export type Job = { name: string; schedule: string; run: () => Promise<unknown> };

export type Jobs = {
  list: Job[];
  start(): void;
  stop(): Promise<void>;
};

/** Every periodic job of the service, in one place. Each one is safe to run on many instances at once. */
export function createJobs(deps: AppDeps): Jobs {
  const list: Job[] = [];
  const tasks: ScheduledTask[] = [];
  return {
    list,
    start() {
      for (const job of list) {
        const task = cron.createTask(job.schedule, async () => {
          try {
            await job.run();
          } catch (err) {
            deps.log.error({ err, job: job.name }, 'job failed');
          }
        }, { name: job.name, noOverlap: true });
        task.start();
        tasks.push(task);
      }
    },
    async stop() {
      await Promise.all(tasks.splice(0).map((t) => t.destroy()));
    },
  };
}
