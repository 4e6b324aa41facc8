import { formatAmount } from '../domain/money.js';
import type { ReceiptFacts } from '../domain/receipt.js';
import { direction, translator } from '../i18n/index.js';
import { htmlViews, textViews } from './alert-message.js';
import type { MailBody } from './alert-notices.js';
import type { MailBrand } from './mail-brand.js';

/** The receipt by e-mail (docs/buyer-guide.md#receipts): the message's words, the amount, the shop and the link, in the buyer's language. */
export function receiptMail(to: string, f: ReceiptFacts, brand?: MailBrand): MailBody {
  const t = translator(f.lang);
  const values = { amount: formatAmount(f.amount), currency: f.currency, merchant: f.shopName };
  const subject = t(f.refund ? 'receipt.mail.subject.refund' : 'receipt.mail.subject.paid', values);
  const it = {
    lang: f.lang, dir: direction(f.lang), subject, link: f.url,
    rows: [[t('receipt.field.shop'), f.shopName], [t(f.refund ? 'receipt.refund.amount' : 'receipt.field.amount'), `${values.amount} ${f.currency}`]],
    open: t('receipt.mail.open'), footer: t('receipt.mail.footer', values),
    // docs/merchant-guide.md#brand: the shop's logo, colour, support contact and terms
    brand: brand && { ...brand, support: t('brand.support'), email: t('brand.support.email'), phone: t('brand.support.phone'), terms: t('brand.terms', { merchant: f.shopName }) },
  };
  return { to, subject, text: textViews.render('./receipt-text', it), html: htmlViews.render('./receipt-html', it) };
}
