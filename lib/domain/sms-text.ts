import { formatAmount, type Minor } from './money.js';
import { translator, type Lang } from '../i18n/index.js';

export const CODE_MASK = '••••';

export type CodeSms = { code: string; amount: Minor; currency: string; merchantName: string; host: string; lang?: Lang };

/**
 * The code SMS of docs/merchant-guide.md#codes-and-sms. The last line binds the code to our origin (WebOTP), so browsers can
 * offer to fill it in and will not offer it on another site; it stays the same in every language.
 */
export function codeSmsText(m: CodeSms): string {
  const t = translator(m.lang ?? 'en');
  return `${t('sms.code', { code: m.code, amount: formatAmount(m.amount), currency: m.currency, merchant: m.merchantName })}\n\n@${m.host} #${m.code}`;
}

/** The code of a sign-in at /me (docs/buyer-guide.md#me--the-buyers-wallet-page), with the same origin-bound last line. */
export function signInSmsText(m: { code: string; host: string; lang?: Lang }): string {
  return `${translator(m.lang ?? 'en')('sms.sign_in', { code: m.code })}\n\n@${m.host} #${m.code}`;
}

export function refundSmsText(m: { amount: Minor; currency: string; merchantName: string; lang?: Lang }): string {
  return translator(m.lang ?? 'en')('sms.refund', { amount: formatAmount(m.amount), currency: m.currency, merchant: m.merchantName });
}

export function payLinkSmsText(m: { amount: Minor; currency: string; merchantName: string; url: string; lang?: Lang }): string {
  return translator(m.lang ?? 'en')('sms.link', { amount: formatAmount(m.amount), currency: m.currency, merchant: m.merchantName, url: m.url });
}

/** The origin-bound line names a host only: browsers match `@host #code`, and a port never matches (docs/operator-guide.md#several-instances-and-database-outages). */
export function webOtpHost(publicUrl: string): string {
  return new URL(publicUrl).hostname;
}
