import { afterCommit } from '../shared/after-commit.js';
import type { ActionNote } from '../shared/action-note.js';
import type { PayDeps } from '../shared/deps.js';
import { lockOwnedPayment } from './owned-payment.js';
import { inTransaction } from '../../postgres/db.js';
import * as payments from '../../store/payments.js';
import { insertSms } from '../../store/sms-messages.js';
import { findWalletByPhone } from '../../store/wallets.js';
import { findShop } from '../../store/shops.js';
import { AppError } from '../../domain/errors.js';
import { assertCanDo, type Payment } from '../../domain/payment.js';
import { newId, newLinkToken, type PaymentId, type MerchantId } from '../../domain/ids.js';
import { payLinkSmsText } from '../../domain/sms-text.js';
import { pickLang } from '../../i18n/index.js';
import type { Phone } from '../../domain/phone.js';
import { endPayment } from './end-payment.js';
import { checkSendLimits, reserveSms } from './send-code.js';
import { readyTestPhoneWallet } from '../buyers/test-phone-wallet.js';
import { payLinkUrl } from '../../domain/pay-urls.js';

/**
 * A pay link (as Lyra's PayLink): the buyer gets an SMS with a short link to the hosted page of
 * the payment, bound to this phone; opening it sends the code. The link ends with the payment.
 */
export async function sendPayLink(
  deps: PayDeps, input: { paymentId: PaymentId; merchantId: MerchantId; phone: Phone }, note?: ActionNote<Payment>,
): Promise<Payment> {
  const found = await payments.findPayment(deps.db, input.paymentId);
  if (found) await reserveSms(deps, input.phone, found.mode);
  const prepared = await inTransaction(deps.db, async (trx) => {
    const payment = await lockOwnedPayment(trx, input.paymentId, input.merchantId);
    assertCanDo('send a pay link for', payment.status);
    const now = deps.clock.now();
    // a pay link is an SMS to the buyer's phone like a code: the same caps count it (docs/merchant-guide.md#abuse-limits)
    await checkSendLimits(deps, trx, payment.id, input.phone, payment.mode);
    await readyTestPhoneWallet(trx, input.phone, payment.currency, payment.mode, now);
    const wallet = await findWalletByPhone(trx, input.phone, payment.currency, payment.mode);
    const withPhone = await payments.updatePayment(trx, payment.id, {
      phone: input.phone, payerPurse: wallet?.purse ?? null, payerWm: wallet?.holderId ?? null, linkToken: payment.linkToken ?? newLinkToken(), updatedAt: now,
    });
    if (!wallet) {
      const ended = await endPayment(deps, trx, withPhone, { status: 'failed', reason: 'no_wallet' });
      return { ...ended, error: new AppError('no_wallet', `No ${payment.currency} wallet is linked to this phone`) };
    }
    const merchant = (await findShop(trx, payment.shopId))!;
    const lang = pickLang([payment.lang], undefined, merchant.lang);
    const text = payLinkSmsText({ amount: payment.amount, currency: payment.currency, merchantName: merchant.name, url: payLinkUrl(deps.config.publicUrl, withPhone.linkToken!), lang });
    const sms = await insertSms(trx, {
      id: newId('sms'), merchantId: merchant.merchantId, paymentId: payment.id, codeId: null, mode: payment.mode, kind: 'link', phone: input.phone, textRedacted: text, lang, createdAt: now,
    });
    await note?.(trx, withPhone);
    return { payment: withPhone, notifications: [], sms: { id: sms.id, text }, error: undefined };
  });
  afterCommit(deps, prepared);
  const sent = await deps.sms.send({ id: prepared.sms!.id, phone: input.phone, text: prepared.sms!.text, mode: prepared.payment.mode, paymentId: prepared.payment.id });
  if (!sent.ok && !sent.maybeSent) throw new AppError('sms_send_failed', 'We could not send the SMS with the pay link. Please try again.');
  return prepared.payment;
}
