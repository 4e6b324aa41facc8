import type { Deps } from '../shared/deps.js';
import { findShop } from '../../store/shops.js';
import { payLinkSmsText } from '../../domain/sms-text.js';
import { payLinkUrl } from '../../domain/pay-urls.js';
import { shareLinks } from '../../domain/messenger.js';
import { pickLang } from '../../i18n/index.js';
import { AppError } from '../../domain/errors.js';
import type { Payment } from '../../domain/payment.js';

export type PayLinkShare = { url: string; text: string; whatsapp: string; sms: string };

/**
 * The pay link a merchant sends from their own phone (docs/merchant-guide.md#sharing-a-pay-link-from-your-phone):
 * the same text, in the buyer's language, as the SMS would carry, written into a WhatsApp chat and an SMS.
 */
export async function payLinkShare(deps: Pick<Deps, 'db' | 'config'>, payment: Payment): Promise<PayLinkShare> {
  const shop = await findShop(deps.db, payment.shopId);
  if (!shop || !payment.linkToken || !payment.phone) throw new AppError('invalid_state', 'This payment has no pay link to share');
  const url = payLinkUrl(deps.config.publicUrl, payment.linkToken);
  const text = payLinkSmsText({ amount: payment.amount, currency: payment.currency, merchantName: shop.name, url, lang: pickLang([payment.lang], undefined, shop.lang) });
  return { url, text, ...shareLinks(payment.phone, text) };
}
