import { formatAmount, isolatedMoneyText } from '../../domain/money.js';
import { phoneTail } from '../../domain/receipt.js';
import { isPaid } from '../../domain/payment.js';
import type { Translate, MessageKey } from '../../i18n/index.js';
import type { ReceiptView } from '../../use-cases/payments/read-receipt.js';

const utc = (at: Date) => `${at.toISOString().slice(0, 19).replace('T', ' ')} UTC`;

/** The shop's contact: no shop or merchant keeps a support address, so the receipt names the shop's site (its Success URL's origin, else its first registered host). */
function contactOf(shop: ReceiptView['shop']): { href: string; text: string } | null {
  // docs/merchant-guide.md#brand: the shop's own support contact first
  if (shop.brand.supportEmail) return { href: `mailto:${shop.brand.supportEmail}`, text: shop.brand.supportEmail };
  if (shop.brand.supportPhone) return { href: `tel:+${shop.brand.supportPhone}`, text: `+${shop.brand.supportPhone}` };
  try {
    if (shop.successUrl) {
      const origin = new URL(shop.successUrl).origin;
      return { href: origin, text: new URL(shop.successUrl).host };
    }
  } catch { /* an unreadable URL names no contact */ }
  const host = shop.allowedHosts[0];
  return host ? { href: `https://${host}`, text: host } : null;
}

function statusKey(v: ReceiptView): MessageKey {
  const p = v.payment;
  if (!isPaid(p.status)) return 'receipt.status.other';
  if (p.status === 'authorized') return 'receipt.status.authorized';
  if (p.amountRefunded > 0n) return p.amountRefunded >= p.amountCaptured ? 'receipt.status.refunded' : 'receipt.status.partly_refunded';
  return 'receipt.status.succeeded';
}

/** The receipt partial's values (views/receipt-card.eta): the page /r/{token}, the Success page and the LINK page show the same. */
export function receiptCard(t: Translate, v: ReceiptView, opts: { linkToPage: boolean }) {
  const p = v.payment;
  const amount = p.status === 'succeeded' ? p.amountCaptured : p.amount;
  const at = p.paidAt ?? p.transDate ?? p.createdAt;
  const rows: { label: string; value: string; field: string; ltr?: boolean }[] = [
    { field: 'shop', label: t('receipt.field.shop'), value: v.shop.name },
    { field: 'amount', label: t('receipt.field.amount'), value: isolatedMoneyText(amount, p.currency) },
    { field: 'status', label: t('receipt.field.status'), value: t(statusKey(v)) },
    { field: 'payment-id', label: t('receipt.field.payment'), value: p.id },
    { field: 'invoice', label: t('receipt.field.invoice'), value: String(p.invoiceNo) },
    { field: 'transaction', label: t('receipt.field.transaction'), value: p.transferId === null ? '—' : String(p.transferId) },
    { field: 'order', label: t('receipt.field.order'), value: p.paymentNo === null ? '—' : String(p.paymentNo) },
    { field: 'phone', label: t('receipt.field.phone'), value: phoneTail(p.phone) || '—', ltr: true },
  ];
  if (p.amountRefunded > 0n) rows.push({ field: 'refunded', label: t('receipt.field.refunded'), value: isolatedMoneyText(p.amountRefunded, p.currency) });
  return {
    t,
    heading: t('receipt.heading', { merchant: v.shop.name }),
    paymentId: p.id, amount: formatAmount(amount), status: p.status, amountRefunded: formatAmount(p.amountRefunded),
    rows, contact: contactOf(v.shop),
    date: { iso: at.toISOString(), utc: utc(at) },
    refunds: v.refunds.map((r) => ({ id: r.id, amount: isolatedMoneyText(r.amount, r.currency), amountPlain: formatAmount(r.amount), iso: r.createdAt.toISOString(), utc: utc(r.createdAt) })),
    path: opts.linkToPage ? v.path : null,
  };
}

export type ReceiptCard = ReturnType<typeof receiptCard>;
