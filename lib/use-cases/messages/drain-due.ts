import type { PayDeps } from '../shared/deps.js';
import { inTransaction, type Knex } from '../../postgres/db.js';
import type { Notification } from '../../domain/notification.js';

/**
 * The shape of the periodic jobs that end things: claim a batch of due rows (with SKIP LOCKED, so
 * instances running the same job take different rows), handle each in the claiming transaction,
 * deliver the notifications it wrote after the commit, and go on until a batch comes back short.
 */
export async function drainDue<T>(
  deps: PayDeps,
  claim: (trx: Knex.Transaction, now: Date, batch: number) => Promise<T[]>,
  handle: (trx: Knex.Transaction, row: T) => Promise<{ notifications: Notification[] }>,
  batch = 100,
): Promise<number> {
  let total = 0;
  for (;;) {
    const done = await inTransaction(deps.db, async (trx) => {
      const due = await claim(trx, deps.clock.now(), batch);
      const notifications: Notification[] = [];
      for (const row of due) notifications.push(...(await handle(trx, row)).notifications);
      return { count: due.length, notifications };
    });
    deps.notifier.kick(done.notifications);
    total += done.count;
    if (done.count < batch) return total;
  }
}
