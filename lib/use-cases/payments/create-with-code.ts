import type { PayDeps } from '../shared/deps.js';
import { callCreate } from '../../store/money-statements.js';
import { newPaymentJson, paymentOfNew, type NewPaymentWithPayer } from '../../store/payments.js';
import { ridingRefusal } from '../limits/rate-limit.js';
import { rideWith, ridingHit, type RidingHit } from '../limits/riding-hits.js';
import { numberRange } from '../../domain/limits.js';
import { AppError } from '../../domain/errors.js';
import { frozenError } from '../../domain/wallet-freeze.js';
import type { Phone } from '../../domain/phone.js';
import type { Shop } from '../../domain/shop.js';
import type { Wallet } from '../../domain/wallet.js';
import { issuedOf, planIssue, refuseCountry, sendLimitsJson, sendRefusal } from './issue-code.js';
import { finishSend, type SendCodeResult } from './send-code.js';
import type { Payment } from '../../domain/payment.js';

/**
 * A new payment with a phone in one statement, tp_create (docs/architecture.md#money-statements): the counters, the payer's
 * wallet, the send limits, the payment and its code. Undefined when the statement made nothing because the plan was stale or
 * the order number or Idempotency-Key is taken: the caller then takes the transaction path, which resumes or refuses.
 */
export async function createWithCode(
  deps: PayDeps, r: { row: NewPaymentWithPayer; shop: Shop; phone: Phone; payer: Wallet | undefined; hit?: RidingHit },
): Promise<{ payment: Payment; code?: SendCodeResult } | undefined> {
  refuseCountry(deps, r.phone);
  const payment = paymentOfNew({ ...r.row, phone: r.phone, payerPurse: r.payer?.purse ?? null, payerWm: r.payer?.holderId ?? null }, 0n);
  const issue = r.shop.prerequest ? undefined : await planIssue(deps, payment, r.shop);
  const smsHits = [ridingHit(deps, 'range_sms', numberRange(r.phone)), ridingHit(deps, 'sms_budget', 'all')];
  const args = {
    hits: rideWith(r.hit, ...smsHits), prerequest: r.shop.prerequest,
    payment: newPaymentJson({ ...r.row, phone: r.phone, payerPurse: payment.payerPurse, payerWm: payment.payerWm }), limits: sendLimitsJson(deps), issue: issue?.args ?? null,
  };
  const a = await callCreate(deps.db, args);
  switch (a.outcome) {
    case 'code_sent': {
      const issued = issuedOf(deps, { ...issue!, payment: { ...issue!.payment, invoiceNo: a.invoiceNo! } }, r.shop, { codeId: a.codeId!, seq: a.codeSeq! }, a.codesOfPayment!);
      const code = await finishSend(deps, { paymentId: payment.id, phone: r.phone }, { issued });
      return { payment: code.payment, code };
    }
    case 'prerequest': {
      const code = await finishSend(deps, { paymentId: payment.id, phone: r.phone }, { prerequest: { ...payment, invoiceNo: a.invoiceNo! } });
      return { payment: code.payment, code };
    }
    case 'conflict': case 'stale': return undefined;
    case 'rate_limited': throw ridingRefusal(deps, a.limitName === 'api_key' ? r.hit! : smsHits.find((h) => h.name === a.limitName)!);
    case 'no_wallet': throw new AppError('no_wallet', `No ${payment.currency} wallet is linked to this phone`);
    case 'wallet_frozen': throw frozenError();
    default: throw sendRefusal(deps, a.outcome, a.retryAfter);
  }
}
