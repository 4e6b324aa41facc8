import type { PayDeps } from '../shared/deps.js';
import type { MerchantRow } from '../../store/merchants.js';
import type { PaymentRow } from '../../store/payments.js';
import type { CreatePaymentBody } from '../../schemas/payments.js';
import { createPayment } from './create-payment.js';
import { findShopByPurse } from '../../store/shops.js';
import { invalidRequest } from '../../domain/errors.js';
import { sendPayLink } from './send-pay-link.js';
import type { ActionNote } from '../shared/action-note.js';

/**
 * POST /payments: a payment, with the code sent at once when a phone came (`send: "code"`), or the
 * SMS with the pay link (`send: "link"`). `resumed`: the Idempotency-Key found the payment it made.
 */
export async function createApiPayment(
  deps: PayDeps, merchant: MerchantRow, body: CreatePaymentBody, createKey: string | null, linkSentNote?: ActionNote<PaymentRow>,
): Promise<{ payment: PaymentRow; resumed: boolean }> {
  const link = body.send === 'link';
  // the payee purse picks the shop, which must be one of this merchant's
  const shop = await findShopByPurse(deps.db, body.payee_purse);
  if (!shop || shop.merchantId !== merchant.id) {
    throw invalidRequest('The payee purse is not a wallet of this merchant', [{ field: 'payee_purse', message: 'not a wallet of this merchant' }]);
  }
  const { payment, resumed } = await createPayment(deps, {
    shop, payeePurse: body.payee_purse, amount: body.amount, paymentNo: body.payment_no ?? null, description: body.description ?? '',
    source: 'api', createKey, resultUrl: body.result_url, successUrl: body.success_url, failUrl: body.fail_url,
    successMethod: body.success_method, failMethod: body.fail_method, captureMode: body.capture, customFields: [], metadata: body.metadata ?? {},
    simMode: null, lang: body.lang ?? null, phone: link ? null : (body.phone ?? null), send: link ? 'link' : 'code',
  });
  if (!link || !body.phone || payment.status !== 'created') return { payment, resumed };
  return { payment: await sendPayLink(deps, { paymentId: payment.id, merchantId: merchant.id, phone: body.phone }, linkSentNote), resumed };
}
