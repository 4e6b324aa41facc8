import type { PayDeps } from '../shared/deps.js';
import type { Knex } from '../../postgres/db.js';
import { callIssueCode, callSendVerdict } from '../../store/money-statements.js';
import { rateLimited } from '../limits/rate-limit.js';
import { testPhoneBehaviour } from '../../domain/test-phones.js';
import { phoneCountry } from '../../domain/phone.js';
import { AppError } from '../../domain/errors.js';
import { newId, type PaymentId } from '../../domain/ids.js';
import { deriveCode, newCodeCounter, type PaymentCode } from '../../domain/code.js';
import { codeCheckHash, currentCodeSecret } from './code-secrets.js';
import { secondsAfter } from '../../domain/time.js';
import { CODE_MASK, codeSmsText, webOtpHost } from '../../domain/sms-text.js';
import type { Payment } from '../../domain/payment.js';
import type { Mode } from '../../domain/ledger.js';
import { pickLang, type Lang } from '../../i18n/index.js';
import type { Shop } from '../../domain/shop.js';

/** A code issued in the caller's transaction: the payment as written, the code (its text only in memory, for the SMS), the SMS row's id. */
export type Issued = { payment: Payment; merchant: Shop; code: PaymentCode; text: string; smsId: string; lang: Lang; codesLeft: number };

/** A code about to be issued, rendered: tp_issue_code writes `args` (migrations/20261208100200_create_statement.ts). */
export type IssuePlan = { payment: Payment; code: Omit<PaymentCode, 'id' | 'seq'>; text: string; smsId: string; lang: Lang; args: Record<string, unknown> };

/**
 * The code, its SMS record and the payment's new state (phone, payer, status) for `payment`, which carries the values to write.
 * The code's HMAC is kept, never the code (docs/merchant-guide.md#codes-and-sms).
 */
export async function planIssue(deps: Pick<PayDeps, 'clock' | 'config'>, payment: Payment, merchant: Shop, pageLang?: Lang): Promise<IssuePlan> {
  const phone = payment.phone!;
  const now = deps.clock.now();
  const secret = currentCodeSecret(deps.config);
  const counter = newCodeCounter();
  const text = await deriveCode(secret.secret, payment.id, counter, deps.config.codes.length);
  const lang = pageLang ?? pickLang([payment.lang], undefined, merchant.lang);
  const smsId = newId('sms');
  const code = {
    paymentId: payment.id, phone, mode: payment.mode, counter: BigInt(counter), sentAt: now, expiresAt: secondsAfter(now, deps.config.codes.ttlSeconds),
    wrongTries: 0, status: 'live' as const, delivery: 'pending' as const, secretId: secret.id,
  };
  const args = {
    code: { ...code, counter: String(counter), sent_at: now.toISOString(), expires_at: code.expiresAt.toISOString(), payment_id: payment.id, secret_id: secret.id, code_hash: codeCheckHash(secret.secret, payment.id, text) },
    sms: {
      id: smsId, merchant_id: payment.merchantId, lang,
      text_redacted: codeSmsText({ code: CODE_MASK, amount: payment.amount, currency: payment.currency, merchantName: merchant.name, host: webOtpHost(deps.config.publicUrl), lang }),
    },
    update: { payer_purse: payment.payerPurse, payer_wm: payment.payerWm, prerequest_at: payment.prerequestAt?.toISOString() ?? null, prerequest_phone: payment.prerequestPhone },
  };
  const written: Payment = { ...payment, status: 'code_sent', unknownPhone: null, updatedAt: now };
  return { payment: written, code, text, smsId, lang, args };
}

/** Checks the limits, then writes the plan, in the transaction that holds the payment (send-code, pay links). */
export async function issueCode(deps: PayDeps, trx: Knex.Transaction, payment: Payment, merchant: Shop, pageLang?: Lang): Promise<Issued> {
  const { codesOfPayment } = await checkSendLimits(deps, trx, payment.id, payment.phone!, payment.mode);
  const plan = await planIssue(deps, payment, merchant, pageLang);
  return issuedOf(deps, plan, merchant, await callIssueCode(trx, plan.args), codesOfPayment);
}

export function issuedOf(deps: Pick<PayDeps, 'config'>, plan: IssuePlan, merchant: Shop, row: { codeId: bigint; seq: number }, codesOfPayment: number): Issued {
  return {
    payment: plan.payment, merchant, code: { ...plan.code, id: row.codeId, seq: row.seq }, text: plan.text, smsId: plan.smsId, lang: plan.lang,
    codesLeft: Math.max(0, deps.config.codes.maxCodesPerPayment - codesOfPayment - 1),
  };
}

/** SMS_COUNTRIES (docs/merchant-guide.md#abuse-limits): other countries are refused before anything else about the phone. */
export function refuseCountry(deps: Pick<PayDeps, 'config'>, phone: string): void {
  const countries = deps.config.limits.smsCountries;
  const country = phoneCountry(phone);
  if (countries && (!country || !countries.includes(country))) {
    throw new AppError('country_not_allowed', `This service does not send SMS to ${country ?? 'this country'}`, { errors: [{ field: 'phone', message: 'country not allowed' }] });
  }
}

/** The caps as tp_send_verdict reads them (docs/merchant-guide.md#codes-and-sms, #abuse-limits). */
export function sendLimitsJson(deps: Pick<PayDeps, 'config'>) {
  const l = deps.config.codes;
  return { per_payment: l.maxCodesPerPayment, per_phone_hour: l.maxCodesPerPhonePerHour, per_phone_day: l.maxWrongTriesPerPhonePerDay };
}

/**
 * The per-phone and per-payment caps for one more SMS (code, pay link, /me sign-in code), decided by tp_send_verdict under a lock
 * on the phone held until the caller's transaction ends; throws the refusal. `paymentId` null: a code of no payment (the /me sign-in).
 */
export async function checkSendLimits(deps: Pick<PayDeps, 'clock' | 'config' | 'db' | 'observer'>, trx: Knex.Transaction, paymentId: PaymentId | null, phone: string, mode: Mode) {
  refuseCountry(deps, phone);
  const verdict = await callSendVerdict(trx, { paymentId, phone, mode, at: deps.clock.now(), limits: sendLimitsJson(deps), shared: testPhoneBehaviour(phone, mode) !== undefined });
  if (verdict.verdict !== 'ok') throw sendRefusal(deps, verdict.verdict, verdict.retryAfter);
  return { codesOfPayment: verdict.codesOfPayment };
}

/** tp_send_verdict's refusals, as the API answers them. */
export function sendRefusal(deps: Pick<PayDeps, 'config' | 'observer'>, verdict: string, retryAfter: number | null): AppError {
  if (verdict === 'payment_limit') return new AppError('too_many_attempts', `No more than ${deps.config.codes.maxCodesPerPayment} codes can be sent for one payment`);
  if (verdict === 'phone_limit') return rateLimited(deps, 'phone_sms', 'Too many messages were sent to this phone; wait before asking for another', retryAfter!);
  if (verdict === 'phone_locked') return rateLimited(deps, 'phone_wrong_codes', 'Too many wrong codes were typed for this phone today', retryAfter!);
  throw new Error(`tp_send_verdict answered ${verdict}`);
}
