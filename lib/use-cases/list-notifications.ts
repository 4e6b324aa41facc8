import type { Deps, PayDeps } from './deps.js';
import * as notifications from '../store/notifications.js';
import { AppError } from '../domain/errors.js';
import { getPayment } from './list-payments.js';
import { outboxTime } from '../notify/enqueue.js';

export async function listNotificationsOfPayment(deps: Pick<Deps, 'db'>, merchantId: string, paymentId: string) {
  await getPayment(deps, merchantId, paymentId);
  const rows = await notifications.listNotificationsOfPayment(deps.db, paymentId);
  const attempts = await notifications.listAttempts(deps.db, rows.map((r) => r.id));
  return rows.map((row) => ({ row, attempts: attempts.filter((a) => a.notificationId === row.id) }));
}

/** Queues one more delivery (whatever the state: delivered, dead or pending) and tries it at once. */
export async function redeliverNotification(deps: PayDeps, merchantId: string, notificationId: string) {
  const found = await notifications.findNotification(deps.db, notificationId);
  if (!found || found.merchantId !== merchantId || found.kind === 'prerequest' || found.kind === 'sms') {
    throw new AppError('notification_not_found', `No notification ${notificationId.slice(0, 40)}`);
  }
  const queued = (await notifications.requeue(deps.db, notificationId, outboxTime(deps.config, deps.clock.now()).dueAt))!;
  deps.notifier.kick([queued]);
  return queued;
}
