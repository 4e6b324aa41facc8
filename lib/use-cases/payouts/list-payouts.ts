import type { Deps } from '../shared/deps.js';
import type { Mode } from '../../domain/ledger.js';
import * as payouts from '../../store/payouts.js';
import * as balanceTransactions from '../../store/balance-transactions.js';
import { AppError } from '../../domain/errors.js';
import type { MerchantId, PayoutId } from '../../domain/ids.js';
import type { BalanceTransactionType, BalanceTransaction } from '../../domain/balance.js';
import { decodeSeqCursor, encodeSeqCursor, type Page } from '../shared/seq-cursor.js';
import type { Payout, PayoutStatus } from '../../domain/payout.js';

/** A payout of this merchant; the operator (no merchant) sees any. Another merchant's is not found. */
export async function readPayout(deps: Pick<Deps, 'db'>, id: PayoutId, merchantId?: MerchantId, mode?: Mode): Promise<Payout> {
  const payout = await payouts.findPayout(deps.db, id);
  if (!payout || (merchantId && payout.merchantId !== merchantId) || (mode && payout.mode !== mode)) throw new AppError('payout_not_found', `No payout ${id.slice(0, 40)}`);
  return payout;
}

export async function listPayouts(
  deps: Pick<Deps, 'db'>, f: { merchantId?: MerchantId; mode?: Mode; purse?: string; status?: PayoutStatus; limit: number; cursor?: string },
): Promise<Page<Payout>> {
  const rows = await payouts.listPayouts(deps.db, { ...f, beforeSeq: decodeSeqCursor(f.cursor), limit: f.limit + 1 });
  return pageOf(rows, f.limit);
}

/** The operator's list for the bank: every payout of a status, oldest first. */
export async function listPayoutsForBank(deps: Pick<Deps, 'db'>, status: PayoutStatus) {
  return payouts.listPayoutsForBank(deps.db, status);
}

export async function listBalanceTransactions(
  deps: Pick<Deps, 'db'>,
  f: { merchantId: MerchantId; mode?: Mode; purse?: string; type?: BalanceTransactionType; payoutId?: PayoutId; createdFrom?: Date; createdTo?: Date; limit: number; cursor?: string },
): Promise<Page<BalanceTransaction>> {
  const rows = await balanceTransactions.listBalanceTransactions(deps.db, { ...f, beforeSeq: decodeSeqCursor(f.cursor), limit: f.limit + 1 });
  return pageOf(rows, f.limit);
}

/** A payout's statement: the transactions it settled, whose net sums to its amount. */
export async function readStatement(deps: Pick<Deps, 'db'>, id: PayoutId, merchantId?: MerchantId, mode?: Mode) {
  const payout = await readPayout(deps, id, merchantId, mode);
  return { payout, transactions: await balanceTransactions.listSettledBy(deps.db, payout.id) };
}

function pageOf<T extends { seq: bigint }>(rows: T[], limit: number): Page<T> {
  const data = rows.slice(0, limit);
  const hasMore = rows.length > limit;
  return { data, hasMore, nextCursor: hasMore ? encodeSeqCursor(data.at(-1)!.seq) : null };
}
