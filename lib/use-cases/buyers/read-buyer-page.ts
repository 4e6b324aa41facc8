import type { Deps } from '../shared/deps.js';
import { listPhoneWallets, listWalletHistory } from '../../store/buyer-wallets.js';
import { receiptPathOf } from '../payments/receipt-link.js';
import { entryTypeOf, hasReceipt } from '../../domain/wallet-history.js';
import { SIGN_IN_MODE } from '../../domain/sign-in.js';
import type { PaymentId } from '../../domain/ids.js';
import type { Minor } from '../../domain/money.js';
import type { Phone } from '../../domain/phone.js';
import type { Wallet } from '../../domain/wallet.js';

/** Rows of the history per page at /me. */
export const HISTORY_PAGE_SIZE = 50;

export type BuyerEntry = { id: string; purse: string; currency: string; type: string; amount: Minor; at: Date; paymentId: string | null; receiptPath: string | null };
export type BuyerPage = { wallets: Wallet[]; entries: BuyerEntry[]; page: number; more: boolean };

/**
 * What /me shows (docs/buyer-guide.md#me--the-buyers-wallet-page): the phone's live wallets and one page of their
 * history, newest first, read from the ledger's postings and the holds; payments and refunds link to their receipt.
 */
export async function readBuyerPage(deps: Pick<Deps, 'db' | 'config'>, phone: Phone, page: number): Promise<BuyerPage> {
  const wallets = await listPhoneWallets(deps.db, phone, SIGN_IN_MODE);
  if (!wallets.length) return { wallets, entries: [], page, more: false };
  const currencyOf = new Map(wallets.map((w) => [w.purse, w.currency]));
  const rows = await listWalletHistory(deps.db, [...currencyOf.keys()], { limit: HISTORY_PAGE_SIZE + 1, offset: page * HISTORY_PAGE_SIZE });
  const receipts = new Map<string, string | null>();
  for (const row of rows.slice(0, HISTORY_PAGE_SIZE)) {
    if (row.paymentId && hasReceipt(entryTypeOf(row.kind)) && !receipts.has(row.paymentId)) receipts.set(row.paymentId, await receiptPathOf(deps, row.paymentId as PaymentId));
  }
  const entries = rows.slice(0, HISTORY_PAGE_SIZE).map((row) => {
    const type = entryTypeOf(row.kind);
    return {
      id: row.id, purse: row.purse, currency: currencyOf.get(row.purse)!, type, amount: row.amount, at: row.at, paymentId: row.paymentId,
      receiptPath: row.paymentId && hasReceipt(type) ? (receipts.get(row.paymentId) ?? null) : null,
    };
  });
  return { wallets, entries, page, more: rows.length > HISTORY_PAGE_SIZE };
}
