import type { Knex } from '../lib/postgres/db.js';

export type LockWaits = {
  samples: number;
  /** Backends of the bench database waiting for a lock, on average over the samples. */
  mean_waiting: number;
  /** The same, by the statement waiting (its first words), most first. */
  by_statement: { statement: string; mean_waiting: number }[];
};

/**
 * Samples pg_stat_activity every `everyMs` until stopped: how many of the service's connections
 * wait for a lock held by another transaction. A row every transaction locks (one fee wallet for
 * every payment) shows up here long before it shows up as CPU: waiting costs no CPU.
 */
export function sampleLockWaits(db: Knex, everyMs = 100): { stop: () => Promise<LockWaits> } {
  const waiting = new Map<string, number>();
  let samples = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const { rows } = await db.raw(`
        select left(regexp_replace(query, '\\s+', ' ', 'g'), 70) as statement from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()`);
      samples++;
      for (const { statement } of rows as { statement: string }[]) waiting.set(statement, (waiting.get(statement) ?? 0) + 1);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      const mean = (n: number) => Math.round((n / Math.max(samples, 1)) * 100) / 100;
      const total = [...waiting.values()].reduce((a, b) => a + b, 0);
      return {
        samples,
        mean_waiting: mean(total),
        by_statement: [...waiting].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([statement, n]) => ({ statement, mean_waiting: mean(n) })),
      };
    },
  };
}
