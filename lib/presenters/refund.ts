import { e164 } from '../domain/phone.js';
import { formatAmount } from '../domain/money.js';
import type { Refund } from '../domain/refund.js';

export function refundJson(r: Refund) {
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
