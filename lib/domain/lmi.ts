import { createHash } from 'node:crypto';
import { formatAmount, type Minor } from './money.js';
import { invalidRequest } from './errors.js';
import { secretsEqual } from './secrets.js';

/** `LMI_SYS_TRANS_DATE`: `YYYYMMDD HH:MM:SS` in UTC. */
export function lmiDate(date: Date): string {
  const iso = date.toISOString(); // 2026-11-23T12:00:00.000Z
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)} ${iso.slice(11, 19)}`;
}

export type HashMethod = 'sha256' | 'md5';

/** How the buyer's browser goes back to the Success or Fail URL (docs/merchant-guide.md#success-and-fail): a GET, a POSTed form, or a plain link. */
export type RedirectMethod = 'GET' | 'POST' | 'LINK';

/** The values LMI_HASH and LMI_HASH2 cover, in the order of docs/merchant-guide.md#the-result-notification, each exactly as sent. */
export type HashedFields = {
  LMI_PAYEE_PURSE: string;
  LMI_PAYMENT_AMOUNT: string;
  LMI_PAYMENT_NO: string;
  LMI_MODE: string;
  LMI_SYS_INVS_NO: string;
  LMI_SYS_TRANS_NO: string;
  LMI_SYS_TRANS_DATE: string;
  LMI_PAYER_PURSE: string;
  LMI_PAYER_WM: string;
};

function hashedValues(f: HashedFields, secretKey: string): string[] {
  return [
    f.LMI_PAYEE_PURSE, f.LMI_PAYMENT_AMOUNT, f.LMI_PAYMENT_NO, f.LMI_MODE, f.LMI_SYS_INVS_NO,
    f.LMI_SYS_TRANS_NO, f.LMI_SYS_TRANS_DATE, secretKey, f.LMI_PAYER_PURSE, f.LMI_PAYER_WM,
  ];
}

function hex(algorithm: 'sha256' | 'md5', text: string): string {
  return createHash(algorithm).update(text, 'utf8').digest('hex').toUpperCase();
}

/** LMI_HASH: the values concatenated without separators, SHA-256 or MD5 as the merchant chose. */
export function lmiHash(f: HashedFields, secretKey: string, method: HashMethod): string {
  return hex(method, hashedValues(f, secretKey).join(''));
}

/** LMI_HASH2: SHA-256 of the same values joined with `;`. */
export function lmiHash2(f: HashedFields, secretKey: string): string {
  return hex('sha256', hashedValues(f, secretKey).join(';'));
}

/** LMI_PAYMENTFORM_SIGN: SHA-256 of `purse;amount;payment_no;secret;`, uppercase hex. */
export function paymentFormSign(purse: string, amountAsSent: string, paymentNo: string, secretKey: string): string {
  return hex('sha256', `${purse};${amountAsSent};${paymentNo};${secretKey};`);
}

export function lmiAmount(minor: Minor): string {
  return formatAmount(minor);
}

export type SignedFormValues = { payeePurse: string; amountAsSent: string; paymentNoAsSent: string; sign?: string };

/** LMI_PAYMENTFORM_SIGN: a form whose purse, amount or order number changed in the browser is refused. */
export function checkFormSignature(form: SignedFormValues, shop: { requireSignedForms: boolean; secretKey: string }): void {
  if (!shop.requireSignedForms) return;
  if (!form.sign) throw invalidRequest('This shop requires signed payment forms: LMI_PAYMENTFORM_SIGN is missing', [{ field: 'LMI_PAYMENTFORM_SIGN', message: 'is required' }]);
  const expected = paymentFormSign(form.payeePurse, form.amountAsSent, form.paymentNoAsSent, shop.secretKey);
  if (!secretsEqual(form.sign.toUpperCase(), expected)) {
    throw invalidRequest('The payment form signature does not match: the form was changed after the shop signed it', [{ field: 'LMI_PAYMENTFORM_SIGN', message: 'does not match' }]);
  }
}
