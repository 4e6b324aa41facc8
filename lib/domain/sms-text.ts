import { formatAmount, type Minor } from './money.js';

export const CODE_MASK = '••••';

export type CodeSms = { code: string; amount: Minor; currency: string; merchantName: string; host: string };

/**
 * The code SMS of spec §3. The last line binds the code to our origin (WebOTP), so browsers can
 * offer to fill it in and will not offer it on another site.
 */
export function codeSmsText(m: CodeSms): string {
  return `${m.code} is your code to pay ${formatAmount(m.amount)} ${m.currency} to ${m.merchantName}. Do not share it.\n\n@${m.host} #${m.code}`;
}
