import type { Deps } from '../shared/deps.js';
import * as payments from '../../store/payments.js';
import { findShop } from '../../store/shops.js';
import { listRefunds } from '../../store/refunds.js';
import { findReceipt, findReceiptByHash } from '../../store/receipts.js';
import { RECEIPT_TOKEN_PATTERN, receiptTokenHash } from '../../domain/receipt.js';
import type { PaymentId } from '../../domain/ids.js';
import type { Payment } from '../../domain/payment.js';
import type { Refund } from '../../domain/refund.js';
import type { Shop } from '../../domain/shop.js';
import { tokenOfReceipt } from './receipt-link.js';

/** What a receipt shows (docs/buyer-guide.md#receipts): the payment as it is now, its shop, every refund (newest first), and its own path. */
export type ReceiptView = { payment: Payment; shop: Shop; refunds: Refund[]; path: string };

/** The receipt behind a link's token; undefined for a token that opens nothing (the page answers a readable 404). */
export async function readReceipt(deps: Pick<Deps, 'db' | 'config'>, token: string): Promise<ReceiptView | undefined> {
  if (!RECEIPT_TOKEN_PATTERN.test(token)) return undefined;
  const receipt = await findReceiptByHash(deps.db, receiptTokenHash(token));
  return receipt ? viewOf(deps, receipt.paymentId, `/r/${token}`) : undefined;
}

/** The receipt of a payment just paid, for the Success page (the browser that paid it); undefined before it was paid. */
export async function readReceiptOfPayment(deps: Pick<Deps, 'db' | 'config'>, paymentId: PaymentId): Promise<ReceiptView | undefined> {
  const receipt = await findReceipt(deps.db, paymentId);
  return receipt ? viewOf(deps, paymentId, `/r/${tokenOfReceipt(deps.config, receipt)}`) : undefined;
}

async function viewOf(deps: Pick<Deps, 'db'>, paymentId: PaymentId, path: string): Promise<ReceiptView | undefined> {
  const payment = await payments.findPayment(deps.db, paymentId);
  const shop = payment && (await findShop(deps.db, payment.shopId));
  if (!payment || !shop) return undefined;
  return { payment, shop, refunds: await listRefunds(deps.db, payment.id), path };
}
