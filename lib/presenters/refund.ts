import { e164 } from '../domain/phone.js';
import type { RefundRow } from '../store/refunds.js';
import { formatAmount } from '../domain/money.js';

export function refundJson(r: RefundRow) {
  return {
    id: r.id,
    object: 'refund' as const,
    payment_id: r.paymentId,
    status: 'succeeded' as const,
    amount: formatAmount(r.amount),
    currency: r.currency,
    phone: e164(r.phone),
    purse: r.purse,
    transaction_no: Number(r.transferId),
    created_at: r.createdAt.toISOString(),
  };
}
