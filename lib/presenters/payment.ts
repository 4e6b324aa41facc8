import { formatAmount } from '../domain/money.js';
import { feeKeptOf, netOf } from '../domain/fee.js';
import { e164 } from '../domain/phone.js';
import type { Payment } from '../domain/payment.js';
import { payLinkUrl, payUrl } from '../domain/pay-urls.js';

/** The payment object of the JSON API and webhooks (docs/merchant-guide.md#the-json-api): its merchant's, so the phone is whole. */
export function paymentJson(p: Payment, publicUrl: string) {
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
    // docs/merchant-guide.md#fees: what the operator kept and what reached the merchant (net of fees returned by refunds)
    fee: formatAmount(feeKeptOf(p)),
    net: formatAmount(netOf(p)),
    phone: p.phone === null ? null : e164(p.phone),
    email: p.buyerEmail,
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
