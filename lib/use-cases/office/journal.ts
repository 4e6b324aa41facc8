import type { Deps } from '../shared/deps.js';
import * as payments from '../../store/payments.js';
import { listRefundsOfPayment } from '../payments/list-refunds.js';
import { listNotificationsOfPayment } from '../payments/list-notifications.js';
import { listMessagesOfPayment } from '../messages/list-messages.js';
import { findOwnedPayment } from '../payments/owned-payment.js';
import { listPayments, type Page } from '../payments/list-payments.js';
import { listPaymentChangesTo } from '../payments/watch-payments.js';
import { isPaymentId, type MerchantId, type PaymentId, type ShopId } from '../../domain/ids.js';
import type { PaymentStatus, Payment } from '../../domain/payment.js';
import { refundableLeft } from '../../domain/refund.js';

export type JournalFilter = { shopId?: ShopId; status?: PaymentStatus; q?: string; createdFrom?: Date; createdTo?: Date };

/**
 * The search box of docs/merchant-guide.md#back-office read as what a person types: a payment id, or a number that may be an
 * invoice number, an order number or a phone (any punctuation of a phone is dropped).
 */
function searchOf(q: string | undefined): Pick<payments.PaymentFilter, 'id' | 'anyNumber'> | 'nothing' | undefined {
  const text = q?.trim();
  if (!text) return undefined;
  if (isPaymentId(text)) return { id: text };
  const digits = text.replace(/[\s()+.-]/g, '');
  if (/^\d{1,18}$/.test(digits)) return { anyNumber: BigInt(digits) };
  return 'nothing';
}

export async function searchJournal(deps: Pick<Deps, 'db'>, merchantId: MerchantId, f: JournalFilter & { limit: number; cursor?: string }): Promise<Page<Payment>> {
  const search = searchOf(f.q);
  if (search === 'nothing') return { data: [], hasMore: false, nextCursor: null };
  return listPayments(deps, { merchantId, shopId: f.shopId, status: f.status, createdFrom: f.createdFrom, createdTo: f.createdTo, ...search, limit: f.limit, cursor: f.cursor });
}

/** Every matching payment, newest first, a thousand rows per query: the CSV streams with flat memory. */
export async function* exportJournal(deps: Pick<Deps, 'db'>, merchantId: MerchantId, f: JournalFilter): AsyncGenerator<Payment> {
  const search = searchOf(f.q);
  if (search === 'nothing') return;
  let before: bigint | undefined;
  for (;;) {
    const rows = await payments.listPayments(deps.db, { merchantId, shopId: f.shopId, status: f.status, createdFrom: f.createdFrom, createdTo: f.createdTo, ...search, beforeInvoiceNo: before, limit: 1000 });
    yield* rows;
    if (rows.length < 1000) return;
    before = rows.at(-1)!.invoiceNo;
  }
}

/** A payment with everything its page shows: refunds, SMS, notifications and their attempts, and what can still be refunded now. */
export async function readOfficePayment(deps: Pick<Deps, 'db' | 'config' | 'clock'>, merchantId: MerchantId, id: PaymentId) {
  const payment = await findOwnedPayment(deps.db, id, merchantId);
  const [refunds, notifications, messages] = await Promise.all([
    listRefundsOfPayment(deps, id, merchantId),
    listNotificationsOfPayment(deps, merchantId, id),
    listMessagesOfPayment(deps, id, merchantId),
  ]);
  const refundable = refundableLeft(payment, deps.clock.now(), deps.config.refundWindowDays);
  return { payment, refunds, notifications, messages, refundable };
}

/** One payment of this merchant for a live row, or nothing when it is not theirs. */
export async function readChangedPayment(deps: Pick<Deps, 'db'>, merchantId: string, id: string) {
  return listPaymentChangesTo(deps, merchantId, id);
}
