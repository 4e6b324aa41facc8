import type { PaymentRow } from '../store/payments.js';
import { formatAmount } from '../domain/money.js';
import { maskPhone, e164 } from '../domain/phone.js';

export type PaymentView = 'merchant' | 'public';

/** The payment object of the JSON API and webhooks (spec §6). The phone is shown whole only to its merchant. */
export function paymentJson(p: PaymentRow, publicUrl: string, view: PaymentView = 'merchant') {
  return {
    id: p.id,
    object: 'payment' as const,
    shop_id: p.shopId,
    invoice_no: Number(p.invoiceNo),
    transaction_no: p.transferId === null ? null : Number(p.transferId),
    status: p.status,
    amount: formatAmount(p.amount),
    currency: p.currency,
    amount_captured: formatAmount(p.amountCaptured),
    amount_refunded: formatAmount(p.amountRefunded),
    // spec §10: what the operator kept and what reached the merchant (net of fees returned by refunds)
    fee: formatAmount(p.fee - p.feeReturned),
    net: formatAmount(p.amountCaptured - p.fee + p.feeReturned),
    phone: p.phone === null ? null : view === 'merchant' ? e164(p.phone) : maskPhone(p.phone),
    payment_no: p.paymentNo === null ? null : Number(p.paymentNo),
    payee_purse: p.payeePurse,
    payer_purse: p.payerPurse,
    description: p.description,
    capture: p.captureMode,
    mode: p.mode,
    pay_url: payUrl(publicUrl, p.id),
    link_url: p.linkToken ? payLinkUrl(publicUrl, p.linkToken) : null,
    created_at: p.createdAt.toISOString(),
    expires_at: p.expiresAt.toISOString(),
    paid_at: p.paidAt?.toISOString() ?? null,
    failure_reason: p.failureReason,
    metadata: p.metadata,
  };
}

export function payUrl(publicUrl: string, paymentId: string): string {
  return `${publicUrl.replace(/\/$/, '')}/pay/${paymentId}`;
}

/** The short link of a pay link SMS. */
export function payLinkUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/$/, '')}/l/${token}`;
}
