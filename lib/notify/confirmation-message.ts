import { direction, isLang, translator, type Lang } from '../i18n/index.js';
import { htmlViews, textViews } from './alert-message.js';

/** The one message that asks a new alert recipient to confirm (docs/merchant-guide.md#alerts): a mail, or one SMS line. */
export function confirmationMessage(shop: { name: string; lang: string }, link: string) {
  const lang: Lang = isLang(shop.lang) ? shop.lang : 'en';
  const t = translator(lang);
  const it = {
    lang, dir: direction(lang), link, subject: t('alert.confirm.subject', { shop: shop.name }).replace(/\s+/g, ' ').trim(),
    intro: t('alert.confirm.intro', { shop: shop.name }), open: t('alert.confirm.open'), ignore: t('alert.confirm.ignore'),
  };
  return {
    lang,
    mail: { subject: it.subject, text: textViews.render('./confirm-text', it), html: htmlViews.render('./confirm-html', it) },
    sms: t('alert.confirm.sms', { shop: shop.name, url: link }),
  };
}

export function confirmationLink(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/$/, '')}/alerts/confirm/${token}`;
}
