import type { PayDeps } from '../shared/deps.js';
import type { Knex } from '../../postgres/db.js';
import { callPayApproved } from '../../store/money-statements.js';
import { findShop } from '../../store/shops.js';
import { findWalletByPhone } from '../../store/wallets.js';
import { nextTransferId } from '../../store/ledger.js';
import { entryJson, legsJson } from '../../store/ledger.js';
import { AppError } from '../../domain/errors.js';
import { secondsAfter } from '../../domain/time.js';
import { transferKeys } from '../../domain/transfer-keys.js';
import { newId } from '../../domain/ids.js';
import { simulatedFailure, type FailureReason, type Payment } from '../../domain/payment.js';
import { planPaymentEvent, planResult } from '../messages/enqueue.js';
import { planReceipt } from '../messages/enqueue-receipt.js';
import { joinPlans, planJson, writtenOf, type OutboxPlan } from '../messages/outbox-plan.js';
import { outboxTime } from '../../notify/outbox.js';
import { secretKeyOf } from '../../notify/keyring.js';
import { legsWithFee } from '../../ledger/fees.js';
import { saleEntry } from '../../domain/balance.js';
import { chargeFor } from '../../domain/fee.js';
import { frozenError } from '../../domain/wallet-freeze.js';
import { newReceipt } from './receipt-link.js';
import { endPayment } from './end-payment.js';
import type { Notification } from '../../domain/notification.js';
import type { Shop } from '../../domain/shop.js';
import type { Wallet } from '../../domain/wallet.js';

export type Approval = 'code' | 'passkey';
export type Outcome = { payment: Payment; error?: AppError; notifications: Notification[] };

/** What tp_pay_approved needs from the service, and the payment it will write when it pays. */
export type ApprovalPlan = { paid: Payment; outbox: OutboxPlan; args: Record<string, unknown> };

/**
 * What follows "the buyer approved" — a right code or a passkey assertion — rendered before the statement that pays: the paid
 * payment (debit of the phone's wallet and credit of the merchant under a transfer keyed by the payment, or a hold for manual
 * capture), its Result, webhooks, alerts and receipt. tp_pay_approved writes exactly these values, or refuses them as a whole.
 * `wallet` is the one read for the phone (none: the statement answers no_wallet); `transferId` was drawn for the Result's signature.
 */
export function planApproval(
  deps: Pick<PayDeps, 'config' | 'clock' | 'random'>, r: { payment: Payment; shop: Shop; wallet: Wallet | undefined; phone: string; now: Date; transferId: bigint },
): ApprovalPlan {
  const { payment, shop, wallet, now } = r;
  const manual = payment.captureMode === 'manual';
  // the fee is charged when the money reaches the merchant: now, or at capture for manual capture (docs/merchant-guide.md#fees)
  const charge = manual ? { fee: 0n, feeRefund: null } : chargeFor(shop, deps.config.defaultFee, payment.amount);
  const holdId = newId('hld');
  const payer = { phone: r.phone, payerPurse: wallet?.purse ?? null, payerWm: wallet?.holderId ?? null, updatedAt: now };
  const paid: Payment = manual
    ? { ...payment, ...payer, status: 'authorized', holdId }
    : { ...payment, ...payer, status: 'succeeded', transferId: r.transferId, transDate: now, amountCaptured: payment.amount, paidAt: now, fee: charge.fee, feeRefund: charge.feeRefund ?? payment.feeRefund };
  const when = outboxTime(deps.config, now);
  const outbox = paid.status === 'succeeded'
    ? joinPlans(
      planResult(paid, shop, secretKeyOf(deps.config, shop), when),
      planPaymentEvent(paid, shop, 'payment.succeeded', deps.config.publicUrl, when),
      planReceipt(deps, { payment: paid, shop, receipt: newReceipt(deps.config, paid.id, now), phone: paid.phone, writeReceipt: true }),
    )
    : planPaymentEvent(paid, shop, 'payment.authorized', deps.config.publicUrl, when);
  const move = manual
    ? { hold_id: holdId, key: transferKeys.hold(payment.id), expires_at: secondsAfter(now, deps.config.holdTtlSeconds).toISOString() }
    : {
      transfer_id: String(r.transferId), key: transferKeys.payment(payment.id), metadata: { payment: payment.id },
      legs: JSON.parse(legsJson(legsWithFee({ currency: payment.currency, mode: payment.mode, paymentId: payment.id }, wallet?.purse ?? '', payment.payeePurse, payment.amount, charge.fee))),
      entries: [entryJson(saleEntry(payment.payeePurse, { amount: payment.amount, fee: charge.fee, paymentId: payment.id, paidAt: now }))],
    };
  const args = {
    // docs/merchant-guide.md#test-mode: LMI_SIM_MODE decides here, the statement fails the payment only once the code is right
    simulate_failure: payment.mode === 'test' && simulatedFailure(payment.simMode, deps.random),
    paid: {
      phone: paid.phone, payer_purse: paid.payerPurse, payer_wm: paid.payerWm, status: paid.status, transfer_id: paid.transferId === null ? null : String(paid.transferId),
      trans_date: paid.transDate?.toISOString() ?? null, hold_id: paid.holdId, amount_captured: String(paid.amountCaptured), paid_at: paid.paidAt?.toISOString() ?? null,
      fee: String(paid.fee), fee_refund: paid.feeRefund, updated_at: now.toISOString(),
    },
    move,
    outbox: planJson(outbox),
  };
  return { paid, outbox, args };
}

/** The statement's outcomes that end the payment as failed, with what the caller answers. */
export const FAILING: Partial<Record<string, [FailureReason, () => AppError]>> = {
  simulated: ['simulated', () => new AppError('invalid_state', 'The payment failed (LMI_SIM_MODE)', { payment_status: 'failed', failure_reason: 'simulated' })],
  no_wallet: ['no_wallet', () => new AppError('no_wallet', 'No wallet is linked to this phone any more')],
  insufficient_funds: ['insufficient_funds', () => new AppError('insufficient_funds', 'The wallet linked to this phone does not hold enough money')],
};

/**
 * The passkey's path (pay-with-passkey.ts), on a payment its transaction holds: the same plan and tp_pay_approved as a confirm,
 * inside that transaction; a refusal that fails the payment is recorded there too, since the statement wrote nothing.
 */
export async function payApproved(deps: PayDeps, trx: Knex.Transaction, payment: Payment, phone: string, now: Date, via: Approval): Promise<Outcome> {
  const shop = (await findShop(trx, payment.shopId))!;
  const wallet = await findWalletByPhone(trx, phone, payment.currency, payment.mode);
  const plan = planApproval(deps, { payment, shop, wallet, phone, now, transferId: await nextTransferId(trx) });
  const row = await callPayApproved(trx, plan.args, payment.id);
  return approvalOutcome(deps, trx, payment, plan, row.outcome, row.notificationIds, via);
}

/** tp_pay_approved's answer as the use-case's: paid, or failed (recorded in `trx`), or refused (thrown). */
export async function approvalOutcome(
  deps: PayDeps, trx: Knex.Transaction, payment: Payment, plan: ApprovalPlan, outcome: string, ids: readonly string[], via: Approval,
): Promise<Outcome> {
  if (outcome === 'paid') {
    deps.observer?.paymentApproved?.(via);
    return { payment: plan.paid, notifications: writtenOf(plan.outbox, ids) };
  }
  if (outcome === 'wallet_frozen') throw frozenError();
  const failing = FAILING[outcome];
  if (failing) return fail(deps, trx, payment, failing[0], failing[1]());
  throw new Error(`tp_pay_approved answered ${outcome} for payment ${payment.id}`);
}

export async function fail(deps: PayDeps, trx: Knex.Transaction, payment: Payment, reason: FailureReason, error: AppError): Promise<Outcome> {
  const { payment: ended, notifications } = await endPayment(deps, trx, payment, { status: 'failed', reason });
  return { payment: ended, notifications, error };
}
