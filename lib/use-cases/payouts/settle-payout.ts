import type { PayDeps } from '../shared/deps.js';
import { afterCommit } from '../shared/after-commit.js';
import { inTransaction } from '../../postgres/db.js';
import * as payouts from '../../store/payouts.js';
import { lockWallets } from '../../store/wallets.js';
import { findShop } from '../../store/shops.js';
import { completePayout, returnPayout } from '../../ledger/payouts.js';
import { enqueuePayoutEvent } from '../messages/enqueue.js';
import { outboxTime } from '../../notify/outbox.js';
import { AppError } from '../../domain/errors.js';
import type { PayoutId } from '../../domain/ids.js';
import type { Payout } from '../../domain/payout.js';
import type { ActionNote } from '../shared/action-note.js';

export type PayoutEnd = { status: 'paid'; reference: string } | { status: 'failed'; reason: string };

/**
 * The operator's bank step (docs/merchant-guide.md#balance-payouts-and-statements): a pending payout was paid (clearing → issuance, the money
 * has left) or failed (clearing → the merchant wallet, available at once). The payout row's lock
 * makes the second of two answers a 409, and `payout.paid`/`payout.failed` is queued with the change.
 */
export async function settlePayout(deps: PayDeps, id: PayoutId, end: PayoutEnd, note?: ActionNote<Payout>): Promise<Payout> {
  const outcome = await inTransaction(deps.db, async (trx) => {
    const payout = await payouts.lockPayout(trx, id);
    if (!payout) throw new AppError('payout_not_found', `No payout ${id.slice(0, 40)}`);
    if (payout.status !== 'pending') throw new AppError('payout_not_pending', `Payout ${payout.id} is already ${payout.status}`, { payout_status: payout.status });
    const at = deps.clock.now();
    const movement = { payoutId: payout.id, purse: payout.purse, amount: payout.amount, currency: payout.currency, mode: payout.mode, at };
    let transferId: bigint;
    if (end.status === 'paid') {
      transferId = (await completePayout(trx, movement)).transfer.id;
    } else {
      // the merchant wallet before the clearing wallet, the order a new payout takes them in: no deadlock
      await lockWallets(trx, [payout.purse]);
      transferId = (await returnPayout(trx, movement)).transfer.id;
    }
    const ended = (await payouts.endPayout(trx, payout.id, { ...end, at, transferId }))!;
    await note?.(trx, ended);
    const shop = payout.shopId ? await findShop(trx, payout.shopId) : undefined;
    const notifications = shop
      ? await enqueuePayoutEvent(trx, ended, shop, end.status === 'paid' ? 'payout.paid' : 'payout.failed', deps.config.publicUrl, outboxTime(deps.config, at))
      : [];
    return { payout: ended, notifications };
  });
  return afterCommit(deps, outcome).payout;
}
