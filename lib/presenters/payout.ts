import { formatAmount } from '../domain/money.js';
import type { Payout } from '../domain/payout.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function payoutJson(p: Payout) {
  return {
    id: p.id,
    object: 'payout' as const,
    status: p.status,
    purse: p.purse,
    shop_id: p.shopId,
    amount: formatAmount(p.amount),
    currency: p.currency,
    trigger: p.trigger,
    period: p.period,
    payout_account: p.payoutAccount,
    reference: p.reference,
    failure_reason: p.failureReason,
    transaction_no: p.transferId === null ? null : Number(p.transferId),
    created_at: p.createdAt.toISOString(),
    paid_at: iso(p.paidAt),
    failed_at: iso(p.failedAt),
  };
}

/** The operator's CSV for the bank (docs/merchant-guide.md#balance-payouts-and-statements): the payout id is the reference the bank carries. */
export const BANK_COLUMNS = ['payout_id', 'merchant_id', 'merchant_name', 'payout_account', 'amount', 'currency', 'purse', 'created_at'] as const;

export function bankRow(p: Payout & { merchantName: string }): string[] {
  return [p.id, p.merchantId, p.merchantName, p.payoutAccount ?? '', formatAmount(p.amount), p.currency, p.purse, p.createdAt.toISOString()];
}
