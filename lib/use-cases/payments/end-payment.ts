import type { Deps } from '../shared/deps.js';
import type { Knex } from '../../postgres/db.js';
import * as payments from '../../store/payments.js';
import { killLiveCodes } from '../../store/codes.js';
import { findShop } from '../../store/shops.js';
import { assertCanMove, type Ending, type Payment } from '../../domain/payment.js';
import { enqueuePaymentEvent } from '../messages/enqueue.js';
import { outboxTime } from '../../notify/outbox.js';
import type { Notification } from '../../domain/notification.js';

/**
 * Ends an open payment without money moving, inside the caller's transaction (the payment row is
 * locked): its codes die and `payment.failed` is queued, since the buyer may never reach the Fail URL.
 * The caller delivers the returned rows after commit, unless it says the sweeper will.
 */
export async function endPayment(
  deps: Pick<Deps, 'clock' | 'config'>,
  trx: Knex.Transaction,
  payment: Payment,
  ending: Ending,
  deliveredBy: 'writer' | 'sweeper' = 'writer',
): Promise<{ payment: Payment; notifications: Notification[] }> {
  assertCanMove(payment.status, ending.status, ending.status === 'expired' ? 'expire' : 'fail');
  const now = deps.clock.now();
  const ended = await payments.updatePayment(trx, payment.id, {
    status: ending.status,
    failureReason: ending.status === 'failed' ? ending.reason : null,
    closedAt: now,
    updatedAt: now,
  });
  await killLiveCodes(trx, payment.id);
  const merchant = (await findShop(trx, payment.shopId))!;
  const notifications = await enqueuePaymentEvent(trx, ended, merchant, 'payment.failed', deps.config.publicUrl, outboxTime(deps.config, now, deliveredBy));
  return { payment: ended, notifications };
}
