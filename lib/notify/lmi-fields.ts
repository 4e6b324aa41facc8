import { reportedAmount, type Payment } from '../domain/payment.js';
import { lmiDate, lmiHash, lmiHash2, lmiAmount, type HashedFields } from '../domain/lmi.js';
import type { Shop } from '../domain/shop.js';

export type Fields = [string, string][];

function hashedFields(p: Payment, amount: bigint): HashedFields {
  return {
    LMI_PAYEE_PURSE: p.payeePurse,
    LMI_PAYMENT_AMOUNT: lmiAmount(amount),
    LMI_PAYMENT_NO: p.paymentNo === null ? '' : String(p.paymentNo),
    LMI_MODE: p.mode === 'test' ? '1' : '0',
    LMI_SYS_INVS_NO: String(p.invoiceNo),
    LMI_SYS_TRANS_NO: p.transferId === null ? '' : String(p.transferId),
    LMI_SYS_TRANS_DATE: p.transDate ? lmiDate(p.transDate) : '',
    LMI_PAYER_PURSE: p.payerPurse ?? '',
    LMI_PAYER_WM: p.payerWm ?? '',
  };
}

/**
 * The Result notification of docs/merchant-guide.md#the-result-notification, computed once when the payment is paid (or captured, with
 * the captured amount) and stored, so every delivery attempt sends the same values.
 */
export function resultFields(p: Payment, m: Pick<Shop, 'hashMethod'>, secretKey: string): Fields {
  const hashed = hashedFields(p, reportedAmount(p));
  return [
    ['LMI_MODE', hashed.LMI_MODE],
    ['LMI_PAYEE_PURSE', hashed.LMI_PAYEE_PURSE],
    ['LMI_PAYMENT_AMOUNT', hashed.LMI_PAYMENT_AMOUNT],
    ['LMI_PAYMENT_NO', hashed.LMI_PAYMENT_NO],
    ['LMI_SYS_INVS_NO', hashed.LMI_SYS_INVS_NO],
    ['LMI_SYS_TRANS_NO', hashed.LMI_SYS_TRANS_NO],
    ['LMI_SYS_TRANS_DATE', hashed.LMI_SYS_TRANS_DATE],
    ['LMI_PAYER_PURSE', hashed.LMI_PAYER_PURSE],
    ['LMI_PAYER_WM', hashed.LMI_PAYER_WM],
    ['LMI_TELEPAT_PHONENUMBER', p.phone ?? ''],
    ['LMI_TELEPAT_ORDERID', p.id],
    ['LMI_PAYMENT_DESC', p.description],
    ['LMI_HASH', lmiHash(hashed, secretKey, m.hashMethod)],
    ['LMI_HASH2', lmiHash2(hashed, secretKey)],
    ...p.customFields,
  ];
}

/** The pre-request of docs/merchant-guide.md#the-result-notification: the fields known before any code is sent, no transfer fields, no hash. */
export function prerequestFields(p: Payment): Fields {
  return [
    ['LMI_PREREQUEST', '1'],
    ['LMI_MODE', p.mode === 'test' ? '1' : '0'],
    ['LMI_PAYEE_PURSE', p.payeePurse],
    ['LMI_PAYMENT_AMOUNT', lmiAmount(p.amount)],
    ['LMI_PAYMENT_NO', p.paymentNo === null ? '' : String(p.paymentNo)],
    ['LMI_SYS_INVS_NO', String(p.invoiceNo)],
    ['LMI_PAYER_PURSE', p.payerPurse ?? ''],
    ['LMI_PAYER_WM', p.payerWm ?? ''],
    ['LMI_TELEPAT_PHONENUMBER', p.phone ?? ''],
    ['LMI_TELEPAT_ORDERID', p.id],
    ['LMI_PAYMENT_DESC', p.description],
    ...p.customFields,
  ];
}

/** What the buyer's browser carries to the Success or Fail URL (docs/merchant-guide.md#success-and-fail). */
export function redirectFields(p: Payment): Fields {
  const ended = p.paidAt ?? p.closedAt ?? p.updatedAt;
  return [
    ['LMI_PAYMENT_NO', p.paymentNo === null ? '' : String(p.paymentNo)],
    ['LMI_SYS_INVS_NO', String(p.invoiceNo)],
    ['LMI_SYS_TRANS_NO', p.transferId === null ? '' : String(p.transferId)],
    ['LMI_SYS_TRANS_DATE', lmiDate(p.transDate ?? ended)],
    ['LMI_TELEPAT_PHONENUMBER', p.phone ?? ''],
    ['LMI_TELEPAT_ORDERID', p.id],
    ...p.customFields,
  ];
}

export function formEncode(fields: Fields): string {
  return new URLSearchParams(fields).toString();
}
