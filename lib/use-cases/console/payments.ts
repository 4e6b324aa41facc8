import type { Deps, PayDeps } from '../shared/deps.js';
import { listPayments, type Page } from '../payments/list-payments.js';
import { searchOf, readOfficePayment } from '../office/journal.js';
import { findOwnedPayment } from '../payments/owned-payment.js';
import { refundPayment } from '../payments/refund-payment.js';
import { readMerchantAccount } from '../merchants/manage-merchants.js';
import { listPaymentChangesTo } from '../payments/watch-payments.js';
import { consoleNote, consoleOnceKey, type ConsoleActor } from './actor.js';
import type { PaymentId } from '../../domain/ids.js';
import type { Payment, PaymentStatus } from '../../domain/payment.js';
import { formatAmount, type Minor } from '../../domain/money.js';

/** The console's search (docs/operator-guide.md#operator-console): a payment id, invoice, order number or phone, across every merchant. */
export async function searchAllPayments(deps: Pick<Deps, 'db'>, f: { q?: string; status?: PaymentStatus; limit: number; cursor?: string }): Promise<Page<Payment>> {
  const search = searchOf(f.q);
  if (search === 'nothing') return { data: [], hasMore: false, nextCursor: null };
  return listPayments(deps, { status: f.status, ...search, limit: f.limit, cursor: f.cursor });
}

/** A payment of any merchant with its timeline (refunds, SMS, notifications and their attempts) and its merchant. */
export async function readConsolePayment(deps: Pick<Deps, 'db' | 'config' | 'clock'>, id: PaymentId) {
  const { merchantId } = await findOwnedPayment(deps.db, id);
  const [detail, account] = await Promise.all([readOfficePayment(deps, merchantId, id), readMerchantAccount(deps, merchantId)]);
  return { ...detail, merchant: account.merchant };
}

/** One payment for a live row of the console (any merchant's). */
export function readChangedPaymentOfAny(deps: Pick<Deps, 'db'>, merchantId: string, id: string) {
  return listPaymentChangesTo(deps, merchantId, id);
}

/** The operator's refund (the admin API's path: a suspended merchant's payment too), audited with the operator's name. */
export async function consoleRefund(deps: PayDeps, actor: ConsoleActor, paymentId: PaymentId, amount: Minor | undefined) {
  const { refund } = await refundPayment(deps, { paymentId, amount, createKey: consoleOnceKey(actor) },
    consoleNote(deps, actor, 'payment.refund', { target: paymentId, merchantId: (r) => r.merchantId }, (r) => ({ refund: r.id, amount: formatAmount(r.amount), currency: r.currency })));
  return refund;
}
