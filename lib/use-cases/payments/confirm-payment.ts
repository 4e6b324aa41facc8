import { afterCommit } from '../shared/after-commit.js';
import type { PayDeps } from '../shared/deps.js';
import { inTransaction } from '../../postgres/db.js';
import { callConfirm, type ConfirmAnswer } from '../../store/money-statements.js';
import * as payments from '../../store/payments.js';
import { readForConfirm, type ConfirmRead } from '../../store/confirm-read.js';
import { rateLimited, ridingRefusal } from '../limits/rate-limit.js';
import { rideWith, type RidingHit } from '../limits/riding-hits.js';
import { testPhoneBehaviour } from '../../domain/test-phones.js';
import { AppError, ServerKeyError } from '../../domain/errors.js';
import { looksLikeCode } from '../../domain/code.js';
import { DAY_MS } from '../../domain/time.js';
import type { PaymentId } from '../../domain/ids.js';
import { OPEN_STATUSES, PAID_STATUSES, isOpen, statusesThatCan, type FailureReason, type Payment } from '../../domain/payment.js';
import { expireOpenPayment } from './expire-payments.js';
import { typedCodeHashes } from './code-secrets.js';
import { FAILING, fail, planApproval, type ApprovalPlan } from './pay-approved.js';
import { refuseSuspended } from '../merchants/merchant-acts.js';
import { frozenError } from '../../domain/wallet-freeze.js';
import { writtenOf } from '../messages/outbox-plan.js';
import type { Merchant } from '../../domain/merchant.js';

export type ConfirmInput = {
  paymentId: PaymentId;
  /** The API's authenticated merchant; hosted pages pass none. */
  merchant?: Merchant;
  code: unknown;
  /** Who types the code (docs/merchant-guide.md#abuse-limits): `ip:<address>` on the hosted pages, `key:<api key id>` on the API. */
  client?: string;
  /** The API key's rate hit, counted by the statement itself. */
  hit?: RidingHit;
};

/**
 * Checks the code and pays in one statement, tp_confirm (docs/architecture.md#money-statements): one read renders the paid
 * state and its notifications, then the statement locks the payment, checks its state and the code, debits the wallet of the
 * phone and credits the merchant (a transfer keyed by the payment, so never twice), and writes the payment and its outbox.
 * What it decides comes back as one row; a wrong try is committed before it is reported. If the payment changed between the
 * read and the statement, the plan is stale and is made again.
 */
export async function confirmPayment(deps: PayDeps, input: ConfirmInput): Promise<Payment> {
  if (!looksLikeCode(input.code, deps.config.codes.length)) {
    throw new AppError('invalid_request', `The code is ${deps.config.codes.length} digits`, { errors: [{ field: 'code', message: `${deps.config.codes.length} digits` }] });
  }
  for (let attempt = 0; attempt < 3; attempt++) {
    const seen = await readForConfirm(deps.db, input.paymentId);
    if (!seen) throw new AppError('payment_not_found', `No payment ${input.paymentId.slice(0, 40)}`);
    const plan = planApproval(deps, { payment: seen.payment, shop: seen.shop, wallet: seen.wallet, phone: seen.code?.phone ?? '', now: deps.clock.now(), transferId: seen.transferId });
    const answer = await callConfirm(deps.db, statementArgs(deps, input, seen, plan));
    if (answer.outcome !== 'stale') return answerOf(deps, input, plan, answer);
  }
  throw new AppError('invalid_state', 'The payment changed while it was being confirmed: try again');
}

/** tp_confirm's argument: the plan, and what the database cannot know (the code's HMACs, the limits, the state table's lists). */
export function statementArgs(deps: Pick<PayDeps, 'config'>, input: ConfirmInput, seen: ConfirmRead, plan: ApprovalPlan) {
  const limits = deps.config.codes;
  return {
    ...plan.args,
    payment_id: input.paymentId, merchant_id: input.merchant?.id ?? null, mode: input.merchant?.mode ?? null, version: seen.version,
    now: plan.paid.updatedAt.toISOString(), client: input.client ?? null, hits: rideWith(input.hit),
    hashes: typedCodeHashes(deps.config, input.paymentId, input.code as string),
    // docs/merchant-guide.md#codes-and-sms and #abuse-limits; the statuses come from the payment's state table (domain/payment.ts)
    limits: { per_code: limits.maxWrongTriesPerCode, per_phone_day: limits.maxWrongTriesPerPhonePerDay, per_client_day: deps.config.limits.wrongTriesPerPhonePerClientPerDay },
    shared_test_phone: seen.code ? testPhoneBehaviour(seen.code.phone, seen.code.mode) !== undefined : false,
    statuses: { paid: PAID_STATUSES, open: OPEN_STATUSES, confirm: statusesThatCan('confirm') },
  };
}

async function answerOf(deps: PayDeps, input: ConfirmInput, plan: ApprovalPlan, a: ConfirmAnswer): Promise<Payment> {
  const status = a.paymentStatus ?? undefined;
  switch (a.outcome) {
    case 'paid':
      deps.observer?.paymentApproved?.('code');
      return afterCommit(deps, { payment: plan.paid, notifications: writtenOf(plan.outbox, a.notificationIds ?? []) }).payment;
    case 'replay': return (await payments.findPayment(deps.db, input.paymentId))!;
    case 'rate_limited': throw ridingRefusal(deps, input.hit!);
    case 'payment_not_found': throw new AppError('payment_not_found', `No payment ${input.paymentId.slice(0, 40)}`);
    case 'merchant_suspended': return refuseSuspended({ status: 'suspended' }) as never;
    case 'already_paid': throw new AppError('invalid_state', `The payment is already ${status}`, { payment_status: status });
    case 'invalid_state': throw new AppError('invalid_state', `Cannot confirm a payment that is ${status}`, { payment_status: status });
    case 'expired': return expireNow(deps, input.paymentId);
    case 'shop_disabled': throw new AppError('shop_disabled', 'This shop does not accept payments now');
    case 'code_dead': throw new AppError('code_invalid', 'This code can no longer be used: ask for a new one', { tries_left: 0 });
    case 'code_expired': throw new AppError('code_expired', 'The code has expired: ask for a new one');
    case 'client_limited': throw rateLimited(deps, 'phone_client_wrong_codes', 'Too many wrong codes from here for this phone today', Math.ceil(DAY_MS / 1000));
    case 'secret_unknown': throw new ServerKeyError('a code made with a CODE_SECRET this instance lacks: check CODE_SECRET, CODE_SECRET_PREVIOUS and CODE_SECRET_NEXT');
    case 'wrong': {
      const left = a.triesLeft!;
      throw new AppError('code_invalid', `The code is not right: ${left} ${left === 1 ? 'try' : 'tries'} left`, { tries_left: left });
    }
    case 'too_many': return failNow(deps, input.paymentId, 'too_many_attempts', new AppError('too_many_attempts', 'Too many wrong codes: the payment has failed'));
    case 'wallet_frozen': throw frozenError();
  }
  const failing = FAILING[a.outcome];
  if (failing) return failNow(deps, input.paymentId, failing[0], failing[1]());
  throw new Error(`tp_confirm answered ${a.outcome}`);
}

/**
 * The statement decided that the payment fails and wrote nothing of it but the wrong try: it is failed here, with its
 * announcements, under the payment's lock. If the process dies first, the next confirm decides the same again.
 */
async function failNow(deps: PayDeps, paymentId: PaymentId, reason: FailureReason, error: AppError): Promise<never> {
  const outcome = await inTransaction(deps.db, async (trx) => {
    const payment = (await payments.lockPayment(trx, paymentId))!;
    // another request ended or paid it meanwhile: the refusal stands, there is nothing left to fail
    return isOpen(payment.status) ? fail(deps, trx, payment, reason, error) : { payment, notifications: [], error };
  });
  afterCommit(deps, outcome);
  throw error;
}

/** The statement found the payment past its deadline: it expires here, with its announcements (as the expiry job would). */
async function expireNow(deps: PayDeps, paymentId: PaymentId): Promise<never> {
  await inTransaction(deps.db, async (trx) => {
    const payment = (await payments.lockPayment(trx, paymentId))!;
    await expireOpenPayment(deps, trx, payment);
  });
  throw new AppError('invalid_state', 'The payment has expired', { payment_status: 'expired' });
}
