import type { Deps } from '../use-cases/shared/deps.js';
import type { ActionNote } from '../use-cases/shared/action-note.js';
import type { Outcome } from './operations.js';
import type { CreateVouchersBody, ListVouchersQuery } from '../schemas/vouchers.js';
import type { VoucherId } from '../domain/voucher.js';
import { issueVouchers, type IssuedBatch, type OnProgress } from '../use-cases/vouchers/issue-vouchers.js';
import { listVouchers } from '../use-cases/vouchers/list-vouchers.js';
import { voidVoucher } from '../use-cases/vouchers/void-voucher.js';
import { issuedVoucherJson, voucherJson } from '../presenters/voucher.js';

/** The answer of POST /admin/v1/vouchers; `withCodes: false` is what an Idempotency-Key replays. */
export function batchJson(batch: IssuedBatch, withCodes = true) {
  return { batch_id: batch.batchId, vouchers: batch.vouchers.map((v) => issuedVoucherJson(v.voucher, withCodes ? v.code : null)) };
}

/** A batch of vouchers (docs/operator-guide.md#vouchers-and-cash-in): the codes are in this answer only. */
export async function adminCreateVouchers(deps: Deps, body: CreateVouchersBody, note?: ActionNote<IssuedBatch>, onProgress?: OnProgress): Promise<Outcome & { batch: IssuedBatch }> {
  const batch = await issueVouchers(deps, { currency: body.currency, amount: body.amount, count: body.count, expiresAt: body.expires_at, mode: body.mode }, note, onProgress);
  return { created: true, body: batchJson(batch), batch };
}

export async function adminListVouchers(deps: Deps, q: ListVouchersQuery): Promise<Outcome> {
  const page = await listVouchers(deps, { batchId: q.batch_id, status: q.status, cursor: q.cursor, limit: q.limit });
  return { created: false, body: { data: page.data.map(voucherJson), has_more: page.hasMore, next_cursor: page.nextCursor } };
}

export async function adminVoidVoucher(deps: Deps, id: VoucherId): Promise<Outcome> {
  return { created: false, body: voucherJson(await voidVoucher(deps, id)) };
}
