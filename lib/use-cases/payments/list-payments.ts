import type { PaymentId, MerchantId } from '../../domain/ids.js';
import type { Mode } from '../../domain/ledger.js';
import type { Deps } from '../shared/deps.js';
import * as payments from '../../store/payments.js';
import { AppError } from '../../domain/errors.js';
import { findOwnedPayment } from './owned-payment.js';
import type { Payment } from '../../domain/payment.js';

export async function getPayment(deps: Pick<Deps, 'db'>, merchantId: MerchantId, paymentId: PaymentId, mode?: Mode): Promise<Payment> {
  return findOwnedPayment(deps.db, paymentId, merchantId, mode);
}

export type Page<T> = { data: T[]; hasMore: boolean; nextCursor: string | null };

/** Newest first; the cursor is the invoice number of the last payment of the page. */
export async function listPayments(deps: Pick<Deps, 'db'>, filter: Omit<payments.PaymentFilter, 'beforeInvoiceNo'> & { cursor?: string }): Promise<Page<Payment>> {
  const before = filter.cursor === undefined ? undefined : decodeCursor(filter.cursor);
  const rows = await payments.listPayments(deps.db, { ...filter, beforeInvoiceNo: before, limit: filter.limit + 1 });
  const data = rows.slice(0, filter.limit);
  const hasMore = rows.length > filter.limit;
  return { data, hasMore, nextCursor: hasMore ? encodeCursor(data.at(-1)!.invoiceNo) : null };
}

function encodeCursor(invoiceNo: bigint): string {
  return Buffer.from(`inv:${invoiceNo}`).toString('base64url');
}

function decodeCursor(cursor: string): bigint {
  const match = /^inv:(\d{1,18})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw new AppError('invalid_request', 'cursor is not one this API gave out', { errors: [{ field: 'cursor', message: 'unknown cursor' }] });
  return BigInt(match[1]!);
}
