import type { PayDeps } from '../shared/deps.js';
import type { LmiForm } from '../../schemas/lmi-form.js';
import { findShopByPurse } from '../../store/shops.js';
import { invalidRequest } from '../../domain/errors.js';
import { checkFormSignature } from '../../domain/lmi.js';
import { createPayment } from './create-payment.js';
import { secretKeyOf } from '../../notify/keyring.js';
import type { Payment } from '../../domain/payment.js';

/**
 * POST /lmi/payment: the shop of the purse, its signature rule, its "URLs from forms" rule (docs/merchant-guide.md#shops-methods-and-keys,
 * off by default), then the payment, owned by the browser that posted the form (a disabled shop's
 * form is refused there, as a readable 400 page).
 */
export async function startFormPayment(deps: PayDeps, form: LmiForm, browserHash: string): Promise<Payment> {
  const shop = await findShopByPurse(deps.db, form.payeePurse);
  if (!shop) throw invalidRequest('LMI_PAYEE_PURSE is not the wallet of any shop', [{ field: 'LMI_PAYEE_PURSE', message: 'unknown purse' }]);
  checkFormSignature(form, { requireSignedForms: shop.requireSignedForms, secretKey: secretKeyOf(deps.config, shop) });
  const urls = shop.allowFormUrls ? { resultUrl: form.resultUrl, successUrl: form.successUrl, failUrl: form.failUrl } : {};
  const { payment } = await createPayment(deps, {
    shop, payeePurse: form.payeePurse, amount: form.amount, paymentNo: form.paymentNo, description: form.description,
    source: 'form', createKey: null, ...urls, successMethod: form.successMethod, failMethod: form.failMethod,
    customFields: form.customFields, metadata: {}, simMode: form.simMode, lang: form.lang, phone: null, browserHash, email: form.email,
  });
  return payment;
}
