// Verifies the LMI_HASH of a telepurse Result notification (docs/merchant-guide.md#the-result-notification).
// fields: the POSTed form as an object; secretKey: your shop's secret key;
// method: your shop's hash_method ('sha256' or 'md5').
import { createHash, timingSafeEqual } from 'node:crypto';

export function verifyResult(fields, secretKey, method = 'sha256') {
  const values = [
    fields.LMI_PAYEE_PURSE, fields.LMI_PAYMENT_AMOUNT, fields.LMI_PAYMENT_NO, fields.LMI_MODE,
    fields.LMI_SYS_INVS_NO, fields.LMI_SYS_TRANS_NO, fields.LMI_SYS_TRANS_DATE, secretKey,
    fields.LMI_PAYER_PURSE, fields.LMI_PAYER_WM,
  ].map((v) => v ?? '');
  const expected = createHash(method).update(values.join(''), 'utf8').digest('hex').toUpperCase();
  const given = String(fields.LMI_HASH ?? '');
  return given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}
