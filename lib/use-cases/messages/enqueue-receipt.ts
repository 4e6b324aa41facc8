import type { Deps } from '../shared/deps.js';
import type { Db } from '../../postgres/db.js';
import { countSmsSince } from '../../store/sms-messages.js';
import type { ReceiptRow } from '../../store/receipts.js';
import { writeOutbox, type OutboxPlan } from './outbox-plan.js';
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
  const now = deps.clock.now();
  const receipt = await ensureReceipt(deps.config, trx, r.payment.id, now);
  const phone = r.refund?.phone ?? r.payment.phone;
  const messaged = phone !== null && (await underRefundCap(deps, trx, r.payment, phone, r.refund));
  return writeOutbox(trx, planReceipt(deps, { ...r, receipt, phone: messaged ? phone : null }));
}

/**
 * The receipt's messages, pure: by SMS or WhatsApp to `phone` (null: none) and by e-mail; with `receipt` in the plan when the
 * receipt row itself is still to be written (the first paid state: tp_confirm writes it with the payment).
 */
export function planReceipt(
  deps: Pick<ReceiptDeps, 'clock' | 'config'>, r: { payment: Payment; shop: Shop; refund?: Refund; receipt: ReceiptRow; phone: string | null; writeReceipt?: boolean },
): OutboxPlan {
  const { payment, shop, refund, receipt } = r;
  const now = deps.clock.now();
  const plan: OutboxPlan = { messages: [], receipt: r.writeReceipt ? receipt : undefined };
  if (shop.receiptChannel === 'none') return plan;
  const lang = pickLang([payment.lang], undefined, shop.lang);
  const facts = {
    amount: refund?.amount ?? payment.amountCaptured, currency: payment.currency, shopName: shop.name,
    url: receiptUrl(deps.config.publicUrl, RECEIPT_TOKEN_MASK), lang, refund: refund !== undefined,
  };
  const subject = refund?.id ?? payment.id;
  const when = outboxTime(deps.config, now);
  const base = { merchantId: shop.merchantId, shopId: shop.id, paymentId: payment.id, eventType: null, url: null, contentType: 'application/json', createdAt: when.at, nextAttemptAt: when.dueAt };
  // docs/merchant-guide.md#pay-links-by-whatsapp: a WhatsApp receipt is the WHATSAPP_TEMPLATE_RECEIPT template, its button suffix the token (masked here too)
  const whatsapp = shop.receiptChannel === 'whatsapp' && deps.config.messenger === 'whatsapp';
  if (r.phone) {
    const smsId = newId('sms');
    plan.messages.push({
      notification: { id: newId('ntf'), ...base, kind: 'sms', body: JSON.stringify({ sms_id: smsId, receipt: payment.id, secret_id: receipt.secretId }) },
      dedupeKey: `receipt:sms:${subject}`,
      sms: {
        id: smsId, merchantId: shop.merchantId, paymentId: payment.id, codeId: null, mode: payment.mode, kind: refund ? 'refund' : 'receipt', phone: r.phone, lang,
        textRedacted: receiptSmsText(facts), createdAt: now, ...(whatsapp ? { channel: 'whatsapp' as const, template: receiptTemplate(deps, facts) } : {}),
      },
    });
  }
  if (payment.buyerEmail) {
    const mail = { ...receiptMail(payment.buyerEmail, facts, mailBrandOf(deps.config.publicUrl, shop)), receipt: payment.id, secret_id: receipt.secretId };
    plan.messages.push({ notification: { id: newId('ntf'), ...base, kind: 'mail', body: JSON.stringify(mail) }, dedupeKey: `receipt:mail:${subject}` });
  }
  return plan;
}

/** The receipt as a WhatsApp template: the amount and the shop; the button's token is put back at send time. */
function receiptTemplate(deps: Pick<ReceiptDeps, 'config'>, facts: { amount: Payment['amount']; currency: string; shopName: string }) {
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
