import type { Deps } from '../shared/deps.js';
import type { Db } from '../../postgres/db.js';
import { insertNotificationOnce } from '../../store/notifications.js';
import { countSmsSince, insertSms } from '../../store/sms-messages.js';
import { lockPhone } from '../../store/codes.js';
import { newId } from '../../domain/ids.js';
import { formatAmount } from '../../domain/money.js';
import { DAY_MS } from '../../domain/time.js';
import { RECEIPT_TOKEN_MASK, receiptSmsText, receiptUrl } from '../../domain/receipt.js';
import { pickLang } from '../../i18n/index.js';
import { receiptMail } from '../../notify/receipt-message.js';
import { mailBrandOf } from '../../notify/mail-brand.js';
import { outboxTime } from '../../notify/outbox.js';
import { ensureReceipt } from '../payments/receipt-link.js';
import type { Notification } from '../../domain/notification.js';
import type { Payment } from '../../domain/payment.js';
import type { Refund } from '../../domain/refund.js';
import type { Shop } from '../../domain/shop.js';

type ReceiptDeps = Pick<Deps, 'clock' | 'config' | 'log'>;

/**
 * docs/buyer-guide.md#receipts: the buyer's receipt of a paid payment, or of one refund, written in the transaction of the
 * state it announces. Dedupe keys make it once per payment and per refund; texts keep the token masked (the outbox puts it back).
 */
export async function enqueueReceipt(deps: ReceiptDeps, trx: Db, r: { payment: Payment; shop: Shop; refund?: Refund }): Promise<Notification[]> {
  const { payment, shop, refund } = r;
  const now = deps.clock.now();
  const { secretId } = await ensureReceipt(deps.config, trx, payment.id, now);
  if (shop.receiptChannel === 'none') return [];
  const lang = pickLang([payment.lang], undefined, shop.lang);
  const facts = {
    amount: refund?.amount ?? payment.amountCaptured, currency: payment.currency, shopName: shop.name,
    url: receiptUrl(deps.config.publicUrl, RECEIPT_TOKEN_MASK), lang, refund: refund !== undefined,
  };
  const subject = refund?.id ?? payment.id;
  const when = outboxTime(deps.config, now);
  const base = { merchantId: shop.merchantId, shopId: shop.id, paymentId: payment.id, eventType: null, url: null, contentType: 'application/json', createdAt: when.at, nextAttemptAt: when.dueAt };
  const rows: Notification[] = [];
  const phone = refund?.phone ?? payment.phone;
  // docs/merchant-guide.md#pay-links-by-whatsapp: a WhatsApp receipt is the WHATSAPP_TEMPLATE_RECEIPT template, its button suffix the token (masked here too)
  const whatsapp = shop.receiptChannel === 'whatsapp' && deps.config.messenger === 'whatsapp';
  if (phone && (await underRefundCap(deps, trx, payment, phone, refund))) {
    const smsId = newId('sms');
    const row = await insertNotificationOnce(trx, { id: newId('ntf'), ...base, kind: 'sms', body: JSON.stringify({ sms_id: smsId, receipt: payment.id, secret_id: secretId }) }, `receipt:sms:${subject}`);
    if (row) {
      await insertSms(trx, {
        id: smsId, merchantId: shop.merchantId, paymentId: payment.id, codeId: null, mode: payment.mode, kind: refund ? 'refund' : 'receipt', phone, lang,
        textRedacted: receiptSmsText(facts), createdAt: now, ...(whatsapp ? { channel: 'whatsapp' as const, template: receiptTemplate(deps, facts) } : {}),
      });
      rows.push(row);
    }
  }
  if (payment.buyerEmail) {
    const mail = { ...receiptMail(payment.buyerEmail, facts, mailBrandOf(deps.config.publicUrl, shop)), receipt: payment.id, secret_id: secretId };
    const row = await insertNotificationOnce(trx, { id: newId('ntf'), ...base, kind: 'mail', body: JSON.stringify(mail) }, `receipt:mail:${subject}`);
    if (row) rows.push(row);
  }
  return rows;
}

/** The receipt as a WhatsApp template: the amount and the shop; the button's token is put back at send time. */
function receiptTemplate(deps: ReceiptDeps, facts: { amount: Payment['amount']; currency: string; shopName: string }) {
  return { name: deps.config.whatsappTemplateReceipt, body: [`${formatAmount(facts.amount)} ${facts.currency}`, facts.shopName], button: RECEIPT_TOKEN_MASK };
}

/**
 * docs/merchant-guide.md#abuse-limits: at most so many refund messages a day per phone; past it the money still moves and
 * the receipt page shows the refund, only the message is left out. A payment's own receipt has no such cap.
 */
async function underRefundCap(deps: ReceiptDeps, trx: Db, payment: Payment, phone: string, refund: Refund | undefined): Promise<boolean> {
  if (!refund) return true;
  await lockPhone(trx, phone, payment.mode);
  const sentToday = await countSmsSince(trx, phone, payment.mode, 'refund', new Date(deps.clock.now().getTime() - DAY_MS));
  if (sentToday < deps.config.codes.maxRefundSmsPerPhonePerDay) return true;
  deps.log.info({ payment: payment.id }, 'refund receipt SMS left out: the phone reached its daily cap');
  return false;
}
