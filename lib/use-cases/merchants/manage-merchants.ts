import type { Deps } from '../shared/deps.js';
import * as merchants from '../../store/merchants.js';
import { listShopsOf } from '../../store/shops.js';
import { AppError } from '../../domain/errors.js';
import type { MerchantId } from '../../domain/ids.js';
import type { Merchant } from '../../domain/merchant.js';
import type { Shop } from '../../domain/shop.js';
import { inTransaction } from '../../postgres/db.js';
import type { ActionNote } from '../shared/action-note.js';

export type MerchantView = { merchant: Merchant; purses: string[]; shops: Shop[] };

async function withPurses(deps: Pick<Deps, 'db'>, merchant: Merchant): Promise<MerchantView> {
  return { merchant, purses: await merchants.listMerchantPursesOf(deps.db, merchant.id), shops: await listShopsOf(deps.db, merchant.id) };
}

/** The operator's list of merchants, by id, a page at a time (the cursor is the last id). */
export async function listMerchantAccounts(deps: Pick<Deps, 'db'>, page: { limit: number; after?: MerchantId }) {
  const rows = await merchants.listMerchants(deps.db, { afterId: page.after, limit: page.limit + 1 });
  const data = await Promise.all(rows.slice(0, page.limit).map((m) => withPurses(deps, m)));
  const hasMore = rows.length > page.limit;
  return { data, hasMore, nextCursor: hasMore ? data.at(-1)!.merchant.id : null };
}

export async function readMerchantAccount(deps: Pick<Deps, 'db'>, id: MerchantId): Promise<MerchantView> {
  const merchant = await merchants.findMerchant(deps.db, id);
  if (!merchant) throw new AppError('merchant_not_found', `No merchant ${id.slice(0, 40)}`);
  return withPurses(deps, merchant);
}

/**
 * Name, status (suspend: no new payments, keys refused with 403, no scheduled payouts; past payments
 * stay refundable by the operator) and the payout settings of docs/merchant-guide.md#balance-payouts-and-statements.
 */
export async function updateMerchantAccount(deps: Pick<Deps, 'db' | 'apiKeys'>, id: MerchantId, change: merchants.MerchantChange, note?: ActionNote<MerchantId>): Promise<MerchantView> {
  // the console's audit entry and one-time token commit with the change
  const merchant = await inTransaction(deps.db, async (trx) => {
    const changed = await merchants.updateMerchant(trx, id, change);
    if (changed) await note?.(trx, id);
    return changed;
  });
  // the keys' cached merchant row (status, payout settings) is stale now
  deps.apiKeys?.forgetMerchant(id);
  if (!merchant) throw new AppError('merchant_not_found', `No merchant ${id.slice(0, 40)}`);
  return withPurses(deps, merchant);
}
