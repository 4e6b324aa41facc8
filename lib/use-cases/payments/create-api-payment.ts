import type { PayDeps } from '../shared/deps.js';
import type { CreatePaymentBody } from '../../schemas/payments.js';
import { createPayment } from './create-payment.js';
import { findShopByPurse } from '../../store/shops.js';
import { readForCreate } from '../../store/create-read.js';
import type { RidingHit } from '../limits/riding-hits.js';
import { assertChannelReady, sendPayLink } from './send-pay-link.js';
import type { ActionNote } from '../shared/action-note.js';
import type { Merchant } from '../../domain/merchant.js';
import type { Payment } from '../../domain/payment.js';
import type { LinkChannel } from '../../domain/messenger.js';

/**
 * POST /payments: a payment, with the code sent at once when a phone came (`send: "code"`), or the
 * message with the pay link (`send: "link"`, by SMS or WhatsApp; the office may also `share` it). `resumed`: the Idempotency-Key found the payment it made.
 */
export async function createApiPayment(
  deps: PayDeps, merchant: Merchant, body: CreatePaymentBody, createKey: string | null, linkSentNote?: ActionNote<Payment>, channel?: LinkChannel, hit?: RidingHit,
): Promise<{ payment: Payment; resumed: boolean }> {
  const link = body.send === 'link';
  if (link) assertChannelReady(deps, channel ?? body.channel);
  // the payee purse picks the shop; createPayment refuses it unless it is one of this merchant's. With a phone for a code, one
  // read brings the shop, the payee's wallet and the payer's (docs/architecture.md#money-statements)
  const read = body.phone && !link ? await readForCreate(deps.db, body.payee_purse, body.phone) : undefined;
  const shop = read ? read.shop : await findShopByPurse(deps.db, body.payee_purse);
  const { payment, resumed } = await createPayment(deps, {
    shop, merchantId: merchant.id, mode: merchant.mode, payeePurse: body.payee_purse, amount: body.amount, paymentNo: body.payment_no ?? null, description: body.description ?? '',
    source: 'api', createKey, resultUrl: body.result_url, successUrl: body.success_url, failUrl: body.fail_url,
    successMethod: body.success_method, failMethod: body.fail_method, captureMode: body.capture, customFields: [], metadata: body.metadata ?? {},
    simMode: null, lang: body.lang ?? null, email: body.email ?? null, phone: link ? null : (body.phone ?? null), send: link ? 'link' : 'code',
    read: read && { payee: read.payee, payer: read.payer }, hit,
  });
  if (!link || !body.phone || payment.status !== 'created') return { payment, resumed };
  return { payment: await sendPayLink(deps, { paymentId: payment.id, merchantId: merchant.id, mode: merchant.mode, phone: body.phone, channel: channel ?? body.channel }, linkSentNote), resumed };
}
