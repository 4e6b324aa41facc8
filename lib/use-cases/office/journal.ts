import type { Deps } from '../shared/deps.js';
import type { Mode } from '../../domain/ledger.js';
import * as payments from '../../store/payments.js';
import { findShop } from '../../store/shops.js';
import { listRefundsOfPayment } from '../payments/list-refunds.js';
import { listNotificationsOfPayment } from '../payments/list-notifications.js';
import { listMessagesOfPayment } from '../messages/list-messages.js';
import { findOwnedPayment } from '../payments/owned-payment.js';
import { listPayments, type Page } from '../payments/list-payments.js';
import { listPaymentChangesTo } from '../payments/watch-payments.js';
import { isPaymentId, type MerchantId, type PaymentId, type ShopId } from '../../domain/ids.js';
import type { PaymentStatus, Payment } from '../../domain/payment.js';
import { refundableLeft } from '../../domain/refund.js';
import { parseAmount } from '../../domain/money.js';

export type JournalFilter = { shopId?: ShopId; status?: PaymentStatus; q?: string; createdFrom?: Date; createdTo?: Date; mode?: Mode };

/**
 * The search box of docs/merchant-guide.md#back-office read as what a person types: a payment id, or a number that may be an
 * invoice number, an order number or a phone (any punctuation of a phone is dropped).
 */
export function searchOf(q: string | undefined): Pick<payments.PaymentFilter, 'id' | 'anyNumber'> | 'nothing' | undefined {
  const text = q?.trim();
  if (!text) return undefined;
  if (isPaymentId(text)) return { id: text };
  const digits = text.replace(/[\s()+.-]/g, '');
  if (/^\d{1,18}$/.test(digits)) return { anyNumber: BigInt(digits) };
  return 'nothing';
}

/**
 * The office's search box (docs/merchant-guide.md#back-office): besides a payment id, invoice, order number or phone, what a merchant on
 * the phone with a buyer has — the phone's last 4 digits, an exact amount (`12.08`), a value of the merchant's own fields or metadata.
 */
export function journalSearchOf(q: string | undefined): Pick<payments.PaymentFilter, 'id' | 'search'> | 'nothing' | undefined {
  const text = q?.trim();
  if (!text) return undefined;
  if (isPaymentId(text)) return { id: text };
  if (text.length > 200) return 'nothing';
  const search: payments.PaymentSearch = { fieldValue: text };
  const digits = text.replace(/[\s()+-]/g, '');
  if (/^\d{1,18}$/.test(digits)) search.number = BigInt(digits);
  if (/^\d{4}$/.test(digits)) search.last4 = digits;
  const amount = /^\d{1,15}[.,]\d{1,2}$/.test(text) ? parseAmount(text.replace(',', '.')) : undefined;
  if (amount?.ok) search.amount = amount.minor;
  return { search };
}

export async function searchJournal(deps: Pick<Deps, 'db'>, merchantId: MerchantId, f: JournalFilter & { limit: number; cursor?: string }): Promise<Page<Payment>> {
  const search = journalSearchOf(f.q);
  if (search === 'nothing') return { data: [], hasMore: false, nextCursor: null };
  return listPayments(deps, { merchantId, mode: f.mode, shopId: f.shopId, status: f.status, createdFrom: f.createdFrom, createdTo: f.createdTo, ...search, limit: f.limit, cursor: f.cursor });
}

/** The CSV's extra columns: each name of the merchant's own fields and metadata keys among the matching payments (docs/merchant-guide.md#back-office). */
export async function journalFieldNames(deps: Pick<Deps, 'db'>, merchantId: MerchantId, f: JournalFilter): Promise<string[]> {
  const search = journalSearchOf(f.q);
  if (search === 'nothing') return [];
  return payments.listFieldNames(deps.db, { merchantId, mode: f.mode, shopId: f.shopId, status: f.status, createdFrom: f.createdFrom, createdTo: f.createdTo, ...search }, CSV_FIELD_COLUMNS);
}

/** At most this many extra columns: a spreadsheet stays readable, and the pre-pass stays bounded. */
export const CSV_FIELD_COLUMNS = 50;

/** Every matching payment, newest first, a thousand rows per query: the CSV streams with flat memory. */
export async function* exportJournal(deps: Pick<Deps, 'db'>, merchantId: MerchantId, f: JournalFilter): AsyncGenerator<Payment> {
  const search = journalSearchOf(f.q);
  if (search === 'nothing') return;
  let before: bigint | undefined;
  for (;;) {
    const rows = await payments.listPayments(deps.db, { merchantId, mode: f.mode, shopId: f.shopId, status: f.status, createdFrom: f.createdFrom, createdTo: f.createdTo, ...search, beforeInvoiceNo: before, limit: 1000 });
    yield* rows;
    if (rows.length < 1000) return;
    before = rows.at(-1)!.invoiceNo;
  }
}

/** A payment with everything its page shows: refunds, SMS, notifications and their attempts, and what can still be refunded now. */
export async function readOfficePayment(deps: Pick<Deps, 'db' | 'config' | 'clock'>, merchantId: MerchantId, id: PaymentId) {
  const payment = await findOwnedPayment(deps.db, id, merchantId);
  const [refunds, notifications, messages, shop] = await Promise.all([
    listRefundsOfPayment(deps, id, merchantId),
    listNotificationsOfPayment(deps, merchantId, id),
    listMessagesOfPayment(deps, id, merchantId),
    findShop(deps.db, payment.shopId),
  ]);
  const refundable = refundableLeft(payment, deps.clock.now(), deps.config.refundWindowDays);
  return { payment, refunds, notifications, messages, refundable, shopName: shop?.name ?? null };
}

/** One payment of this merchant for a live row, or nothing when it is not theirs. */
export async function readChangedPayment(deps: Pick<Deps, 'db'>, merchantId: string, id: string) {
  return listPaymentChangesTo(deps, merchantId, id);
}
