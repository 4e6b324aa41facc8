import { afterCommit } from '../shared/after-commit.js';
import type { PayDeps } from '../shared/deps.js';
import { lockOwnedPayment } from './owned-payment.js';
import { inTransaction, type Knex } from '../../postgres/db.js';
import * as payments from '../../store/payments.js';
import * as codes from '../../store/codes.js';
import { payerWallet } from './payer-wallet.js';
import { issueCode, refuseCountry, type Issued } from './issue-code.js';
import { findShop } from '../../store/shops.js';
import { consumeBoth } from '../limits/rate-limit.js';
import { readyTestPhoneWallet } from '../buyers/test-phone-wallet.js';
import { testPhoneBehaviour } from '../../domain/test-phones.js';
import { numberRange } from '../../domain/limits.js';
import type { Phone } from '../../domain/phone.js';
import { AppError } from '../../domain/errors.js';
import type { PaymentId } from '../../domain/ids.js';
import { resendCooldownLeft } from '../../domain/code-policy.js';
import { assertCanDo, type Payment } from '../../domain/payment.js';
import type { Mode } from '../../domain/ledger.js';
import type { Lang } from '../../i18n/index.js';
import { codeSmsText, webOtpHost } from '../../domain/sms-text.js';
import { endPayment } from './end-payment.js';
import { expireOpenPayment } from './expire-payments.js';
import { runPrerequest } from './run-prerequest.js';
import type { Merchant } from '../../domain/merchant.js';
import type { Notification } from '../../domain/notification.js';
import type { Shop } from '../../domain/shop.js';

export type SendCodeInput = {
  paymentId: PaymentId;
  /** The API passes the authenticated merchant; hosted pages pass none (the payment id is the capability). */
  merchant?: Merchant;
  /** A new phone (phone step); absent for a resend to the phone already given. */
  phone?: Phone;
  /** The language the buyer sees the page in: the SMS is written in it too. */
  lang?: Lang;
};

export type SendCodeResult = { payment: Payment; codeExpiresAt: Date; codesLeft: number };

type Stopped = { stopped: Payment; error: AppError; notifications: Notification[] };
type Ready = Stopped | { issued: Issued };
/** Where a code request stands when its first transaction commits. */
export type CodeStep = Ready | { prerequest: Payment };

/**
 * Sends a code by SMS: to a new phone (the buyer typed it) or again to the same phone (resend).
 * Checks the wallet, the merchant's pre-request, and every limit in the database under a lock on
 * the phone, so the limits hold across payments and instances; without a pre-request all of it is
 * one transaction. A gateway failure kills that code, does not count against the buyer, and
 * answers "could not send, try again".
 */
export async function sendCode(deps: PayDeps, input: SendCodeInput): Promise<SendCodeResult> {
  const known = await payments.findPayment(deps.db, input.paymentId);
  const phone = input.phone ?? known?.phone;
  if (known && phone) await reserveSms(deps, phone, known.mode);
  const step = await inTransaction(deps.db, async (trx): Promise<CodeStep> => {
    const payment = await lockOpen(deps, trx, input);
    return 'stopped' in payment ? payment : preparePhone(deps, trx, payment, input);
  });
  return finishSend(deps, input, step);
}

/** After the first transaction: the pre-request if one is due, then the SMS with the code (or the refusal). */
export async function finishSend(deps: PayDeps, input: SendCodeInput, first: CodeStep): Promise<SendCodeResult> {
  const step = 'prerequest' in first ? await askMerchantFirst(deps, input, first.prerequest) : first;
  // a stopped request always carries its refusal: afterCommit throws it
  if ('stopped' in step) return afterCommit(deps, step) as never;
  const { issued } = step;
  const text = codeSmsText({ code: issued.text, amount: issued.payment.amount, currency: issued.payment.currency, merchantName: issued.merchant.name, host: webOtpHost(deps.config.publicUrl), lang: issued.lang });
  const sent = await deps.sms.send({ id: issued.smsId, phone: issued.code.phone, text, mode: issued.payment.mode, paymentId: issued.payment.id });
  // a send that may have gone out counts as sent: the buyer waits for it, or asks again after the cooldown
  if (!sent.ok && !sent.maybeSent) throw new AppError('sms_send_failed', 'We could not send the SMS. Please try again.');
  return { payment: issued.payment, codeExpiresAt: issued.code.expiresAt, codesLeft: issued.codesLeft };
}

export async function lockOpen(deps: PayDeps, trx: Knex.Transaction, input: SendCodeInput): Promise<Payment | Stopped> {
  const payment = await lockOwnedPayment(trx, input.paymentId, input.merchant?.id, input.merchant?.mode);
  if (await expireOpenPayment(deps, trx, payment)) {
    return { stopped: (await payments.findPayment(trx, payment.id))!, error: new AppError('invalid_state', 'The payment has expired', { payment_status: 'expired' }), notifications: [] };
  }
  assertCanDo('send a code for', payment.status);
  return payment;
}

/**
 * The phone step on a payment this transaction holds (locked, or just inserted): the wallet of
 * the phone, then the pre-request if the merchant wants one, else the code at once.
 */
export async function preparePhone(deps: PayDeps, trx: Knex.Transaction, payment: Payment, input: Omit<SendCodeInput, 'paymentId'> & { shop?: Shop }): Promise<CodeStep> {
  const phone = input.phone ?? (payment.phone as Phone | null);
  if (!phone) throw new AppError('invalid_request', 'No phone number yet: send one first');
  refuseCountry(deps, phone);
  if (phone === payment.phone) await refuseDuringCooldown(deps, trx, payment.id);
  await readyTestPhoneWallet(trx, phone, payment.currency, payment.mode, deps.clock.now());
  const wallet = await payerWallet(trx, phone, payment.currency, payment.mode);
  const now = deps.clock.now();
  if (!wallet) {
    // a mistyped number must not end the payment: the buyer corrects it (no_wallet only if abandoned)
    const open = await payments.updatePayment(trx, payment.id, { unknownPhone: phone, updatedAt: now });
    return { stopped: open, notifications: [], error: new AppError('no_wallet', `No ${payment.currency} wallet is linked to this phone`) };
  }
  // a payment created in this request comes with the shop it was created for: one statement less (issue 23)
  const merchant = input.shop ?? (await findShop(trx, payment.shopId))!;
  const payer = { phone, payerPurse: wallet.purse, payerWm: wallet.holderId };
  // every phone that is to receive a code is asked for, a changed phone included (docs/merchant-guide.md#the-result-notification)
  if (merchant.prerequest && payment.prerequestPhone !== phone) {
    return { prerequest: await payments.updatePayment(trx, payment.id, { ...payer, updatedAt: now }) };
  }
  return { issued: await issueCode(deps, trx, { ...payment, ...payer }, merchant, input.lang) };
}

/** The pre-request is an HTTP call of up to 10 s: made between two transactions, never inside one. */
async function askMerchantFirst(deps: PayDeps, input: SendCodeInput, payment: Payment): Promise<Ready> {
  const yes = await runPrerequest(deps, payment);
  return inTransaction(deps.db, async (trx) => {
    const locked = await lockOpen(deps, trx, { ...input, paymentId: payment.id });
    if ('stopped' in locked) return locked;
    if (!yes) {
      const { payment: ended, notifications } = await endPayment(deps, trx, locked, { status: 'failed', reason: 'declined_by_merchant' });
      return { stopped: ended, notifications, error: new AppError('invalid_state', 'The shop declined this payment', { payment_status: 'failed', failure_reason: 'declined_by_merchant' }) };
    }
    const merchant = (await findShop(trx, locked.shopId))!;
    // the code goes to the phone the merchant approved, even if another request changed the phone meanwhile
    const approvedPhone = { phone: payment.phone, payerPurse: payment.payerPurse, payerWm: payment.payerWm, prerequestPhone: payment.phone };
    return { issued: await issueCode(deps, trx, { ...locked, ...approvedPhone, prerequestAt: deps.clock.now() }, merchant, input.lang) };
  });
}

/**
 * The SMS-pumping guard per number range and the whole service's budget (docs/merchant-guide.md#abuse-limits), counted before
 * the payment's transaction opens: a counter is never hit while that transaction holds a connection
 * and row locks (a second connection wanted inside it could starve the pool under load). A send the
 * phone's own caps then refuse has used its slot; that errs on the side of sending less.
 */
export async function reserveSms(deps: Pick<PayDeps, 'db' | 'clock' | 'config' | 'observer'>, phone: string, mode: Mode): Promise<void> {
  if (testPhoneBehaviour(phone, mode)) return; // the shared test phones send nothing out
  refuseCountry(deps, phone);
  await consumeBoth(deps, ['range_sms', numberRange(phone)], ['sms_budget', 'all']);
}

/** A new code to the same phone waits for the cooldown of "Send a new code" (docs/merchant-guide.md#codes-and-sms) (the page counts it down too). */
async function refuseDuringCooldown(deps: Pick<PayDeps, 'clock'>, trx: Knex.Transaction, paymentId: PaymentId): Promise<void> {
  const current = await codes.currentCode(trx, paymentId);
  const wait = current && current.delivery !== 'failed' ? resendCooldownLeft(current.sentAt, deps.clock.now()) : 0;
  if (wait > 0) {
    throw new AppError('rate_limited', `Wait ${wait} s before asking for another code`, { retry_after: wait }, { 'Retry-After': String(wait) });
  }
}
