import type { MerchantId, NotificationId, PaymentId } from '../../domain/ids.js';
import type { Mode } from '../../domain/ledger.js';
import type { Deps, PayDeps } from '../shared/deps.js';
import * as notifications from '../../store/notifications.js';
import * as payments from '../../store/payments.js';
import { AppError } from '../../domain/errors.js';
import { getPayment } from './list-payments.js';
import { outboxTime } from '../../notify/outbox.js';
import { inTransaction } from '../../postgres/db.js';
import type { ActionNote } from '../shared/action-note.js';
import { assertMerchantActs } from '../merchants/merchant-acts.js';
import type { Notification } from '../../domain/notification.js';

export async function listNotificationsOfPayment(deps: Pick<Deps, 'db' | 'config'>, merchantId: MerchantId, paymentId: PaymentId, mode?: Mode) {
  await getPayment(deps, merchantId, paymentId, mode);
  const rows = await notifications.listNotificationsOfPayment(deps.db, paymentId);
  const attempts = await notifications.listAttempts(deps.db, rows.map((r) => r.id), deps.config.notificationAttemptsPageSize);
  return rows.map((row) => ({ row, attempts: attempts.filter((a) => a.notificationId === row.id) }));
}

/** A notification of a payment of the API key's mode (docs/merchant-guide.md#test-mode); one of no payment belongs to both. */
async function ofMode(deps: Pick<Deps, 'db'>, n: Notification, mode: Mode | undefined): Promise<boolean> {
  if (!mode || !n.paymentId) return true;
  return (await payments.findPayment(deps.db, n.paymentId))?.mode === mode;
}

/** Queues one more delivery (whatever the state: delivered, dead or pending) and tries it at once; the operator (no merchant) redelivers any, a suspended merchant's too. */
export async function redeliverNotification(deps: PayDeps, merchantId: MerchantId | undefined, notificationId: NotificationId, note?: ActionNote<Notification>, mode?: Mode) {
  const found = await notifications.findNotification(deps.db, notificationId);
  if (!found || (merchantId !== undefined && found.merchantId !== merchantId) || found.kind === 'prerequest' || found.kind === 'sms' || !(await ofMode(deps, found, mode))) {
    throw new AppError('notification_not_found', `No notification ${notificationId.slice(0, 40)}`);
  }
  const max = deps.config.maxRedeliveriesPerNotification;
  const queued = await inTransaction(deps.db, async (trx) => {
    if (merchantId !== undefined) await assertMerchantActs(trx, merchantId);
    const row = await notifications.requeue(trx, notificationId, outboxTime(deps.config, deps.clock.now()).dueAt, max);
    if (row) await note?.(trx, row);
    return row;
  });
  if (!queued) throw new AppError('redelivery_limit_reached', `A notification can be redelivered at most ${max} times`);
  deps.notifier.kick([queued]);
  return queued;
}

/** Every attempt of one notification, newest first, a page at a time (the cursor is the last attempt's id). */
export async function listAttemptsOfNotification(deps: Pick<Deps, 'db'>, merchantId: MerchantId, notificationId: NotificationId, page: { limit: number; cursor?: string }, mode?: Mode) {
  const found = await notifications.findNotification(deps.db, notificationId);
  if (!found || found.merchantId !== merchantId || !(await ofMode(deps, found, mode))) throw new AppError('notification_not_found', `No notification ${notificationId.slice(0, 40)}`);
  const before = page.cursor === undefined ? undefined : decodeAttemptCursor(page.cursor);
  const rows = await notifications.listAttemptsPage(deps.db, notificationId, before, page.limit + 1);
  const data = rows.slice(0, page.limit);
  const hasMore = rows.length > page.limit;
  return { data, hasMore, nextCursor: hasMore ? Buffer.from(`att:${data.at(-1)!.id}`).toString('base64url') : null };
}

function decodeAttemptCursor(cursor: string): bigint {
  const match = /^att:(\d{1,18})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw new AppError('invalid_request', 'cursor is not one this API gave out', { errors: [{ field: 'cursor', message: 'unknown cursor' }] });
  return BigInt(match[1]!);
}
