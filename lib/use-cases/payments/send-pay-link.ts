import { afterCommit } from '../shared/after-commit.js';
import type { Mode } from '../../domain/ledger.js';
import type { ActionNote } from '../shared/action-note.js';
import type { PayDeps } from '../shared/deps.js';
import { lockOwnedPayment } from './owned-payment.js';
import { inTransaction, type Knex } from '../../postgres/db.js';
import * as payments from '../../store/payments.js';
import { insertSms } from '../../store/sms-messages.js';
import { payerWallet } from './payer-wallet.js';
import { findShop } from '../../store/shops.js';
import { AppError } from '../../domain/errors.js';
import { assertCanDo, type Payment } from '../../domain/payment.js';
import { newId, newLinkToken, type PaymentId, type MerchantId } from '../../domain/ids.js';
import { payLinkSmsText } from '../../domain/sms-text.js';
import { formatAmount } from '../../domain/money.js';
import { pickLang } from '../../i18n/index.js';
import type { Phone } from '../../domain/phone.js';
import type { LinkChannel } from '../../domain/messenger.js';
import type { Shop } from '../../domain/shop.js';
import type { Notification } from '../../domain/notification.js';
import { endPayment } from './end-payment.js';
import { reserveSms } from './send-code.js';
import { checkSendLimits } from './issue-code.js';
import { readyTestPhoneWallet } from '../buyers/test-phone-wallet.js';
import { enqueueSms } from '../messages/enqueue.js';
import { outboxTime } from '../../notify/outbox.js';
import { payLinkUrl } from '../../domain/pay-urls.js';

export type PayLinkInput = { paymentId: PaymentId; merchantId: MerchantId; phone: Phone; channel?: LinkChannel; mode?: Mode };

/**
 * A pay link (as Lyra's PayLink): the buyer gets an SMS or a WhatsApp message with a short link to the
 * hosted page of the payment, bound to this phone; opening it sends the code. The link ends with the
 * payment. `share` sends nothing: the merchant sends the link from their own phone
 * (docs/merchant-guide.md#sharing-a-pay-link-from-your-phone).
 */
export async function sendPayLink(deps: PayDeps, input: PayLinkInput, note?: ActionNote<Payment>): Promise<Payment> {
  const channel = input.channel ?? 'sms';
  assertChannelReady(deps, channel);
  const found = await payments.findPayment(deps.db, input.paymentId);
  if (found && channel !== 'share') await reserveSms(deps, input.phone, found.mode);
  const prepared = await inTransaction(deps.db, async (trx) => {
    const payment = await lockOwnedPayment(trx, input.paymentId, input.merchantId, input.mode);
    assertCanDo('send a pay link for', payment.status);
    const now = deps.clock.now();
    // a pay link is a message to the buyer's phone like a code, by either channel: the same caps count it (docs/merchant-guide.md#abuse-limits)
    if (channel !== 'share') await checkSendLimits(deps, trx, payment.id, input.phone, payment.mode);
    await readyTestPhoneWallet(trx, input.phone, payment.currency, payment.mode, now);
    const wallet = await payerWallet(trx, input.phone, payment.currency, payment.mode);
    const withPhone = await payments.updatePayment(trx, payment.id, {
      phone: input.phone, payerPurse: wallet?.purse ?? null, payerWm: wallet?.holderId ?? null, linkToken: payment.linkToken ?? newLinkToken(), updatedAt: now,
    });
    if (!wallet) {
      const ended = await endPayment(deps, trx, withPhone, { status: 'failed', reason: 'no_wallet' });
      return { ...ended, error: new AppError('no_wallet', `No ${payment.currency} wallet is linked to this phone`) };
    }
    const merchant = (await findShop(trx, payment.shopId))!;
    const written = channel === 'share' ? { notifications: [] } : await writeMessage(deps, trx, withPhone, merchant, channel, input.phone);
    await note?.(trx, withPhone);
    return { payment: withPhone, error: undefined, ...written };
  });
  afterCommit(deps, prepared);
  if (!('sms' in prepared) || !prepared.sms) return prepared.payment;
  const sent = await deps.sms.send({ id: prepared.sms.id, phone: input.phone, text: prepared.sms.text, mode: prepared.payment.mode, paymentId: prepared.payment.id });
  if (!sent.ok && !sent.maybeSent) throw new AppError('sms_send_failed', 'We could not send the SMS with the pay link. Please try again.');
  return prepared.payment;
}

/** MESSENGER unset: asking for WhatsApp is refused before anything is written. */
export function assertChannelReady(deps: Pick<PayDeps, 'messenger'>, channel: LinkChannel | undefined): void {
  if (channel === 'whatsapp' && !deps.messenger?.configured) {
    throw new AppError('channel_not_configured', 'WhatsApp is not configured on this service: send the link by SMS', { errors: [{ field: 'channel', message: 'whatsapp is not configured' }] });
  }
}

/** The message's record; an SMS is sent at once by the caller, a WhatsApp message through the outbox (its retries and its SMS fallback). */
async function writeMessage(deps: PayDeps, trx: Knex.Transaction, payment: Payment, shop: Shop, channel: 'sms' | 'whatsapp', phone: Phone):
  Promise<{ notifications: Notification[]; sms?: { id: string; text: string } }> {
  const now = deps.clock.now();
  const lang = pickLang([payment.lang], undefined, shop.lang);
  const text = payLinkSmsText({ amount: payment.amount, currency: payment.currency, merchantName: shop.name, url: payLinkUrl(deps.config.publicUrl, payment.linkToken!), lang });
  const template = channel === 'whatsapp'
    ? { name: deps.config.whatsappTemplateLink, body: [`${formatAmount(payment.amount)} ${payment.currency}`, shop.name], button: payment.linkToken! }
    : null;
  const sms = await insertSms(trx, {
    id: newId('sms'), merchantId: shop.merchantId, paymentId: payment.id, codeId: null, mode: payment.mode, kind: 'link', channel, template, phone, textRedacted: text, lang, createdAt: now,
  });
  if (channel === 'sms') return { notifications: [], sms: { id: sms.id, text } };
  return { notifications: await enqueueSms(trx, shop, payment.id, sms.id, outboxTime(deps.config, now)) };
}
