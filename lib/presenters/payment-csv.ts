import { formatAmount } from '../domain/money.js';
import { feeKeptOf, netOf } from '../domain/fee.js';
import { e164 } from '../domain/phone.js';
import type { Payment } from '../domain/payment.js';

/** The back office's CSV (docs/merchant-guide.md#back-office), column by column; amounts as the API's payment object shows them. */
export const PAYMENT_CSV_COLUMNS = ['id', 'created_at', 'shop_id', 'status', 'amount', 'fee', 'net', 'amount_refunded', 'currency', 'phone', 'payment_no', 'invoice_no',
  'transaction_no', 'paid_at', 'failure_reason', 'description'] as const;

export function paymentCsvRow(p: Payment): string[] {
  return [
    p.id, p.createdAt.toISOString(), p.shopId, p.status, formatAmount(p.amount), formatAmount(feeKeptOf(p)), formatAmount(netOf(p)), formatAmount(p.amountRefunded),
    p.currency, p.phone ? e164(p.phone) : '', p.paymentNo === null ? '' : String(p.paymentNo), String(p.invoiceNo),
    p.transferId === null ? '' : String(p.transferId), p.paidAt ? p.paidAt.toISOString() : '', p.failureReason ?? '', p.description ?? '',
  ];
}

/** The merchant's own fields (by name) and metadata (`metadata.` and the key) of a payment, in the CSV's extra columns. */
export function ownFieldCells(p: Pick<Payment, 'customFields' | 'metadata'>, names: string[]): string[] {
  const fields = new Map(p.customFields);
  return names.map((name) => (name.startsWith('metadata.') ? p.metadata[name.slice('metadata.'.length)] : fields.get(name)) ?? '');
}
