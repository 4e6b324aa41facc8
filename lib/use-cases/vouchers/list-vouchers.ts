import type { Deps } from '../shared/deps.js';
import * as vouchers from '../../store/vouchers.js';
import type { Voucher, VoucherBatchId, VoucherId, VoucherStatus } from '../../domain/voucher.js';

export type VoucherPage = { data: Voucher[]; hasMore: boolean; nextCursor: VoucherId | null };

/** The operator's vouchers (never their codes), by id, a page at a time. */
export async function listVouchers(deps: Pick<Deps, 'db'>, f: { batchId?: VoucherBatchId; status?: VoucherStatus; cursor?: VoucherId; limit: number }): Promise<VoucherPage> {
  const rows = await vouchers.listVouchers(deps.db, { batchId: f.batchId, status: f.status, after: f.cursor, limit: f.limit + 1 });
  const data = rows.slice(0, f.limit);
  const hasMore = rows.length > f.limit;
  return { data, hasMore, nextCursor: hasMore ? data.at(-1)!.id : null };
}
