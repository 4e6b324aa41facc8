import { Eta } from 'eta';
import { fileURLToPath } from 'node:url';
import { alertFacts, type AlertEvent } from '../domain/alerts.js';
import { direction, isLang, translator, type Lang, type MessageKey } from '../i18n/index.js';
import type { MailBrand } from './mail-brand.js';

export type AlertMessage = { subject: string; text: string; html: string; sms: string };

// text and HTML parts from templates; HTML escapes every value, the text part is plain and keeps its line ends
const dir = fileURLToPath(new URL('./mail/', import.meta.url));
export const htmlViews = new Eta({ views: dir, autoEscape: true, cache: true });
export const textViews = new Eta({ views: dir, autoEscape: false, autoTrim: false, cache: true });

/**
 * An alert of docs/merchant-guide.md#alerts in the shop's language: the shop, the amount, the payment (or payout) id, the
 * order number, the buyer's phone cut to its last 2 digits and a link to the back office. It is made
 * from the event's public JSON object only, so it cannot carry a secret or a code.
 */
export function alertMessage(event: AlertEvent, data: Record<string, unknown>, shop: { name: string; lang: string }, publicUrl: string, brand?: MailBrand): AlertMessage {
  const lang: Lang = isLang(shop.lang) ? shop.lang : 'en';
  const t = translator(lang);
  const facts = alertFacts(event, data);
  const amount = facts.amount ?? '';
  const currency = facts.currency ?? '';
  const subject = t(`alert.${event}` as MessageKey, { amount, currency, shop: shop.name }).replace(/\s+/g, ' ').trim();
  const rows: [string, string][] = [[t('alert.field.shop'), shop.name]];
  if (facts.amount) rows.push([t('alert.field.amount'), `${amount} ${currency}`]);
  if (facts.paymentId) rows.push([t('alert.field.payment'), facts.paymentId]);
  if (facts.orderNo) rows.push([t('alert.field.order'), facts.orderNo]);
  if (facts.phoneTail) rows.push([t('alert.field.phone'), facts.phoneTail]);
  if (facts.payoutId) rows.push([t('alert.field.payout'), facts.payoutId]);
  const base = publicUrl.replace(/\/$/, '');
  const link = facts.paymentId ? `${base}/office/payments/${facts.paymentId}` : facts.payoutId ? `${base}/office/payouts/${facts.payoutId}` : null;
  // docs/merchant-guide.md#brand: the shop's logo and colour
  const it = { lang, dir: direction(lang), subject, rows, link, open: t('alert.open'), footer: t('alert.footer', { shop: shop.name }), brand };
  const sms = [subject, facts.orderNo && `#${facts.orderNo}`, facts.phoneTail].filter(Boolean).join(', ');
  return { subject, text: textViews.render('./alert-text', it), html: htmlViews.render('./alert-html', it), sms };
}
