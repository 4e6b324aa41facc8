import { afterCommit } from '../shared/after-commit.js';
import type { PayDeps } from '../shared/deps.js';
import { lockOwnedPayment } from './owned-payment.js';
import { inTransaction, type Knex } from '../../postgres/db.js';
import * as codes from '../../store/codes.js';
import { rateLimited } from '../limits/rate-limit.js';
import { testPhoneBehaviour } from '../../domain/test-phones.js';
import { AppError, ServerKeyError } from '../../domain/errors.js';
import { looksLikeCode, type PaymentCode } from '../../domain/code.js';
import { afterWrongTry, codeUsable } from '../../domain/code-policy.js';
import { DAY_MS } from '../../domain/time.js';
import type { PaymentId } from '../../domain/ids.js';
import { assertCanDo, isPaid, type Payment } from '../../domain/payment.js';
import { expireOpenPayment } from './expire-payments.js';
import { codeMatches } from './code-secrets.js';
import { fail, payApproved, type Outcome } from './pay-approved.js';
import type { Merchant } from '../../domain/merchant.js';

export type ConfirmInput = {
  paymentId: PaymentId;
  /** The API's authenticated merchant; hosted pages pass none. */
  merchant?: Merchant;
  code: unknown;
  /** Who types the code (docs/merchant-guide.md#abuse-limits): `ip:<address>` on the hosted pages, `key:<api key id>` on the API. */
  client?: string;
};

/**
 * Checks the code and pays, in one transaction: lock the payment, check its state and the code,
 * debit the wallet linked to the phone and credit the merchant (a ledger transfer keyed by the
 * payment, so it can never happen twice), mark it succeeded (or authorized, for manual capture),
 * and write the notifications. Wrong tries and failures are committed before they are reported.
 */
export async function confirmPayment(deps: PayDeps, input: ConfirmInput): Promise<Payment> {
  if (!looksLikeCode(input.code, deps.config.codes.length)) {
    throw new AppError('invalid_request', `The code is ${deps.config.codes.length} digits`, { errors: [{ field: 'code', message: `${deps.config.codes.length} digits` }] });
  }
  const outcome = await inTransaction(deps.db, (trx) => confirmLocked(deps, trx, input.paymentId, input.merchant, input.code as string, input.client));
  return afterCommit(deps, outcome).payment;
}

/**
 * docs/merchant-guide.md#abuse-limits: wrong codes count per phone and per client (address or API key) too; past its share a
 * client is refused before its code is even compared, and the payment stays open for the phone's owner.
 */
async function refuseClientPastItsTries(deps: PayDeps, trx: Knex.Transaction, code: PaymentCode, client: string, now: Date): Promise<void> {
  const today = await codes.countWrongTriesSince(trx, code.phone, code.mode, new Date(now.getTime() - DAY_MS), client);
  if (today.ofClient >= deps.config.limits.wrongTriesPerPhonePerClientPerDay) {
    throw rateLimited(deps, 'phone_client_wrong_codes', 'Too many wrong codes from here for this phone today', Math.ceil(DAY_MS / 1000));
  }
}

async function confirmLocked(deps: PayDeps, trx: Knex.Transaction, paymentId: PaymentId, knownMerchant: Merchant | undefined, typed: string, client?: string): Promise<Outcome> {
  const payment = await lockOwnedPayment(trx, paymentId, knownMerchant?.id, knownMerchant?.mode);
  const code = await codes.currentCode(trx, payment.id);

  if (isPaid(payment.status)) {
    // a retried confirm with the code that paid gets the paid payment back; anything else is a conflict
    if (code?.status === 'used' && (await codeMatches(deps.config, code, typed).catch(notKnownHere))) return { payment, notifications: [] };
    throw new AppError('invalid_state', `The payment is already ${payment.status}`, { payment_status: payment.status });
  }
  if (await expireOpenPayment(deps, trx, payment)) {
    throw new AppError('invalid_state', 'The payment has expired', { payment_status: 'expired' });
  }
  assertCanDo('confirm', payment.status);

  const now = deps.clock.now();
  const usable = codeUsable(code, now);
  if (usable === 'expired') throw new AppError('code_expired', 'The code has expired: ask for a new one');
  if (usable !== 'ok' || !code) throw new AppError('code_invalid', 'This code can no longer be used: ask for a new one', { tries_left: 0 });

  if (client) await refuseClientPastItsTries(deps, trx, code, client, now);
  if (!(await codeMatches(deps.config, code, typed))) {
    // the phone's wrong tries are counted across payments: serialize them (the right code needs no such lock)
    await codes.lockPhone(trx, code.phone, code.mode);
    const wrongTries = await codes.recordWrongTry(trx, code, now, client);
    const today = await codes.countWrongTriesSince(trx, code.phone, code.mode, new Date(now.getTime() - DAY_MS));
    // a shared test phone is never locked for everyone: each client still has its own share
    const verdict = afterWrongTry(deps.config.codes, wrongTries, testPhoneBehaviour(code.phone, code.mode) ? 0 : today.all);
    if (!verdict.paymentFails) {
      return { payment, notifications: [], error: new AppError('code_invalid', `The code is not right: ${verdict.triesLeft} ${verdict.triesLeft === 1 ? 'try' : 'tries'} left`, { tries_left: verdict.triesLeft }) };
    }
    return fail(deps, trx, payment, 'too_many_attempts', new AppError('too_many_attempts', 'Too many wrong codes: the payment has failed'));
  }

  await codes.setCodeStatus(trx, code.id, 'used');
  return payApproved(deps, trx, payment, code.phone, now, 'code');
}

/** A paid payment's code from a CODE_SECRET retired since cannot be compared: the retry is a conflict like any other. */
function notKnownHere(err: unknown): false {
  if (err instanceof ServerKeyError) return false;
  throw err;
}
