import type { BalanceSummary, BalanceTransaction } from '../domain/balance.js';
import type { Currency } from '../domain/currency.js';
import { formatAmount } from '../domain/money.js';

export function balanceTransactionJson(t: BalanceTransaction) {
  return {
    id: t.id,
    object: 'balance_transaction' as const,
    type: t.type,
    purse: t.purse,
    currency: t.currency,
    amount: formatAmount(t.amount),
    fee: formatAmount(t.fee),
    net: formatAmount(t.net),
    source: t.source,
    created_at: t.createdAt.toISOString(),
    available_on: t.availableOn.toISOString(),
    payout_id: t.payoutId,
  };
}

export function balanceJson(b: { purse: string; currency: Currency; shopId: string | null } & BalanceSummary) {
  return {
    purse: b.purse,
    currency: b.currency,
    shop_id: b.shopId,
    balance: formatAmount(b.balance),
    held: formatAmount(b.held),
    pending: formatAmount(b.pending),
    payable: formatAmount(b.payable),
  };
}

/** The statement's columns (docs/merchant-guide.md#balance-payouts-and-statements), in order. */
export const STATEMENT_COLUMNS = ['id', 'type', 'created_at', 'available_on', 'source', 'amount', 'fee', 'net', 'currency'] as const;

export function statementRow(t: BalanceTransaction): string[] {
  const j = balanceTransactionJson(t);
  return STATEMENT_COLUMNS.map((c) => String(j[c]));
}
