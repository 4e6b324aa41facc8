import type { PayDeps } from './deps.js';
import { inTransaction, type Knex } from '../store/db.js';
import * as payments from '../store/payments.js';
import * as codes from '../store/codes.js';
import { insertSms } from '../store/sms-messages.js';
import { findWalletByPhone } from '../store/wallets.js';
import { findMerchant, type MerchantRow } from '../store/merchants.js';
import { AppError } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import { deriveCode, newCodeCounter } from '../domain/code.js';
import { DAY_MS, HOUR_MS, sendVerdict } from '../domain/code-policy.js';
import { CODE_MASK, codeSmsText } from '../domain/sms-text.js';
import { assertCanMove, type PaymentStatus } from '../domain/payment.js';
import type { Phone } from '../domain/phone.js';
import { pickLang, type Lang } from '../i18n/index.js';
import { endPayment } from './end-payment.js';
import { expireOpenPayment } from './expire-payments.js';
import { runPrerequest } from './run-prerequest.js';

export type SendCodeInput = {
  paymentId: string;
  /** The API passes the authenticated merchant; hosted pages pass none (the payment id is the capability). */
  merchantId?: string;
  /** A new phone (phone step); absent for a resend to the phone already given. */
  phone?: Phone;
  /** The language the buyer sees the page in: the SMS is written in it too. */
  lang?: Lang;
};

export type SendCodeResult = { payment: payments.PaymentRow; codeExpiresAt: Date; codesLeft: number };

type Ended = { ended: payments.PaymentRow; error: AppError; notificationIds: string[] };
type Step = Ended | { next: 'prerequest' | 'issue'; payment: payments.PaymentRow };

/**
 * Sends a code by SMS: to a new phone (the buyer typed it) or again to the same phone (resend).
 * Checks the wallet, the merchant's pre-request, and every limit in the database under a lock on
 * the phone, so the limits hold across payments and instances. A gateway failure kills that code,
 * does not count against the buyer, and answers "could not send, try again".
 */
export async function sendCode(deps: PayDeps, input: SendCodeInput): Promise<SendCodeResult> {
  let step = await inTransaction(deps.db, (trx) => preparePhone(deps, trx, input));
  if ('next' in step && step.next === 'prerequest') {
    const approved = await runPrerequest(deps, step.payment);
    step = await inTransaction(deps.db, (trx) => recordPrerequest(deps, trx, input, approved));
  }
  if ('ended' in step) {
    deps.notifier.kick(step.notificationIds);
    throw step.error;
  }
  const issued = await inTransaction(deps.db, (trx) => issueCode(deps, trx, input));
  const merchant = (await findMerchant(deps.db, issued.payment.merchantId))!;
  const code = await deriveCode(codeSecretOf(deps), issued.payment.id, Number(issued.code.counter), deps.config.codes.length);
  const text = codeSmsText({ code, amount: issued.payment.amount, currency: issued.payment.currency, merchantName: merchant.name, host: new URL(deps.config.publicUrl).host, lang: issued.lang });
  const sent = await deps.sms.send({ id: issued.smsId, phone: issued.code.phone, text, mode: issued.payment.mode });
  await codes.setCodeDelivery(deps.db, issued.code.id, sent.ok ? 'sent' : 'failed');
  if (!sent.ok) throw new AppError('sms_send_failed', 'We could not send the SMS. Please try again.');
  return { payment: issued.payment, codeExpiresAt: issued.code.expiresAt, codesLeft: issued.codesLeft };
}

export function codeSecretOf(deps: Pick<PayDeps, 'config'>): string {
  if (!deps.config.codeSecret) throw new Error('CODE_SECRET is not configured');
  return deps.config.codeSecret;
}

async function lockOpen(deps: PayDeps, trx: Knex.Transaction, input: SendCodeInput): Promise<payments.PaymentRow | Ended> {
  const payment = await payments.lockPayment(trx, input.paymentId);
  if (!payment || (input.merchantId && payment.merchantId !== input.merchantId)) throw new AppError('payment_not_found');
  if (await expireOpenPayment(deps, trx, payment)) {
    return { ended: (await payments.findPayment(trx, payment.id))!, error: new AppError('invalid_state', 'The payment has expired', { payment_status: 'expired' }), notificationIds: [] };
  }
  const target: PaymentStatus = 'code_sent';
  assertCanMove(payment.status, target, 'send a code for');
  return payment;
}

async function preparePhone(deps: PayDeps, trx: Knex.Transaction, input: SendCodeInput): Promise<Step> {
  const payment = await lockOpen(deps, trx, input);
  if ('ended' in payment) return payment;
  const phone = input.phone ?? (payment.phone as Phone | null);
  if (!phone) throw new AppError('invalid_request', 'No phone number yet: send one first');
  const wallet = await findWalletByPhone(trx, phone, payment.currency, payment.mode);
  if (!wallet) {
    const withPhone = await payments.updatePayment(trx, payment.id, { phone, updatedAt: deps.clock.now() });
    const { payment: ended, notificationIds } = await endPayment(deps, trx, withPhone, { status: 'failed', reason: 'no_wallet' });
    return { ended, notificationIds, error: new AppError('no_wallet', `No ${payment.currency} wallet is linked to this phone`) };
  }
  const changed = payment.phone !== phone;
  const updated = changed
    ? await payments.updatePayment(trx, payment.id, { phone, payerPurse: wallet.purse, payerWm: wallet.holderId, updatedAt: deps.clock.now() })
    : payment;
  if (changed) await codes.killLiveCodes(trx, payment.id);
  const merchant = (await findMerchant(trx, payment.merchantId))!;
  return { next: needsPrerequest(merchant, updated) ? 'prerequest' : 'issue', payment: updated };
}

function needsPrerequest(merchant: MerchantRow, payment: payments.PaymentRow): boolean {
  return merchant.prerequest && payment.prerequestAt === null;
}

async function recordPrerequest(deps: PayDeps, trx: Knex.Transaction, input: SendCodeInput, approved: boolean): Promise<Step> {
  const payment = await lockOpen(deps, trx, input);
  if ('ended' in payment) return payment;
  if (!approved) {
    const { payment: ended, notificationIds } = await endPayment(deps, trx, payment, { status: 'failed', reason: 'declined_by_merchant' });
    return { ended, notificationIds, error: new AppError('invalid_state', 'The shop declined this payment', { payment_status: 'failed', failure_reason: 'declined_by_merchant' }) };
  }
  return { next: 'issue', payment: await payments.updatePayment(trx, payment.id, { prerequestAt: deps.clock.now(), updatedAt: deps.clock.now() }) };
}

async function issueCode(deps: PayDeps, trx: Knex.Transaction, input: SendCodeInput) {
  const payment = await lockOpen(deps, trx, input);
  if ('ended' in payment) throw payment.error;
  const phone = payment.phone!;
  const now = deps.clock.now();
  const limits = deps.config.codes;
  await codes.lockPhone(trx, phone, payment.mode);
  const verdict = sendVerdict(
    limits,
    now,
    await codes.countCountedCodes(trx, payment.id),
    await codes.phoneSendTimes(trx, phone, payment.mode, new Date(now.getTime() - HOUR_MS)),
    await codes.phoneWrongTryTimes(trx, phone, payment.mode, new Date(now.getTime() - DAY_MS)),
  );
  if (!verdict.ok) {
    if (verdict.reason === 'payment_limit') {
      throw new AppError('too_many_attempts', `No more than ${limits.maxCodesPerPayment} codes can be sent for one payment`);
    }
    const error = new AppError(
      'rate_limited',
      verdict.reason === 'phone_limit' ? 'Too many codes were sent to this phone; wait before asking for another' : 'Too many wrong codes were typed for this phone today',
      { retry_after: verdict.retryAfterSeconds },
      { 'Retry-After': String(verdict.retryAfterSeconds) },
    );
    throw error;
  }
  const code = await codes.insertCode(trx, {
    paymentId: payment.id,
    phone,
    mode: payment.mode,
    counter: newCodeCounter(),
    sentAt: now,
    expiresAt: new Date(now.getTime() + limits.ttlSeconds * 1000),
  });
  const merchant = (await findMerchant(trx, payment.merchantId))!;
  const lang = input.lang ?? pickLang([payment.lang], undefined);
  const sms = await insertSms(trx, {
    id: newId('sms'), merchantId: payment.merchantId, paymentId: payment.id, codeId: code.id, mode: payment.mode, kind: 'code', phone,
    textRedacted: codeSmsText({ code: CODE_MASK, amount: payment.amount, currency: payment.currency, merchantName: merchant.name, host: new URL(deps.config.publicUrl).host, lang }),
    lang,
    createdAt: now,
  });
  const updated = await payments.updatePayment(trx, payment.id, { status: 'code_sent', updatedAt: now });
  const used = await codes.countCountedCodes(trx, payment.id);
  return { payment: updated, code, smsId: sms.id, lang, codesLeft: Math.max(0, limits.maxCodesPerPayment - used) };
}
