import { randomBytes, timingSafeEqual } from 'node:crypto';
import { generateAuthenticationOptions, type PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { afterCommit } from '../shared/after-commit.js';
import type { PayDeps } from '../shared/deps.js';
import { inTransaction, type Knex } from '../../postgres/db.js';
import * as payments from '../../store/payments.js';
import * as passkeys from '../../store/passkeys.js';
import { findShop } from '../../store/shops.js';
import { lockOwnedPayment } from './owned-payment.js';
import { expireOpenPayment } from './expire-payments.js';
import { payerWallet } from './payer-wallet.js';
import { runPrerequest } from './run-prerequest.js';
import { endPayment } from './end-payment.js';
import { payApproved, type Outcome } from './pay-approved.js';
import { challengeOf, passkeyRefused, verifyPasskey } from '../users/verify-passkey.js';
import { AppError } from '../../domain/errors.js';
import { CHALLENGE_TTL_MS, challengeHash, paymentChallenge, relyingPartyOf } from '../../domain/passkey.js';
import { assertCanDo, isPaid, type Payment } from '../../domain/payment.js';
import type { PaymentId } from '../../domain/ids.js';

/**
 * The options of navigator.credentials.get() that approve this payment (docs/buyer-guide.md#paying-with-a-passkey):
 * the challenge is derived from the payment id, amount, currency and shop and a fresh nonce kept for one answer.
 */
export async function startPasskeyPayment(deps: PayDeps, paymentId: PaymentId): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const rp = relyingPartyOf(deps.config.publicUrl);
  if (!rp) throw new AppError('forbidden', 'Passkeys need the service on a domain name');
  const payment = await payments.findPayment(deps.db, paymentId);
  if (!payment) throw new AppError('payment_not_found', 'Payment not found');
  assertCanDo('approve with a passkey', payment.status);
  const now = deps.clock.now();
  const nonce = new Uint8Array(randomBytes(32));
  const challenge = paymentChallenge(payment, nonce);
  await passkeys.insertChallenge(deps.db, { challengeHash: challengeHash(challenge), purpose: 'pay', paymentId, nonce, createdAt: now, expiresAt: new Date(now.getTime() + CHALLENGE_TTL_MS) });
  return generateAuthenticationOptions({ rpID: rp.id, challenge, userVerification: 'required', timeout: CHALLENGE_TTL_MS });
}

type Approved = Outcome | { prerequest: Payment; phone: string };

/**
 * Pays with a passkey: the challenge is spent first (a replay finds it spent), then, holding the payment, the
 * challenge derived again from the payment as it stands must be the one signed, and the assertion must verify.
 * The credential's buyer is the phone; the merchant's pre-request runs for it as for a code; then the payment is
 * paid by the code's own path (pay-approved.ts). No code SMS is sent.
 */
export async function payWithPasskey(deps: PayDeps, input: { paymentId: PaymentId; response: unknown }): Promise<Payment> {
  const challenge = challengeOf(input.response);
  const spent = challenge ? await passkeys.spendChallenge(deps.db, challengeHash(challenge), 'pay', deps.clock.now()) : undefined;
  if (!challenge || !spent?.nonce || spent.paymentId !== input.paymentId) throw passkeyRefused();
  const nonce = spent.nonce;
  const first = await inTransaction(deps.db, (trx) => approveLocked(deps, trx, input.paymentId, input.response, challenge, nonce));
  if (!('prerequest' in first)) return afterCommit(deps, first).payment;
  const yes = await runPrerequest(deps, first.prerequest);
  const second = await inTransaction(deps.db, async (trx): Promise<Outcome> => {
    const payment = await lockPayable(deps, trx, input.paymentId);
    if (!yes) {
      const { payment: ended, notifications } = await endPayment(deps, trx, payment, { status: 'failed', reason: 'declined_by_merchant' });
      return { payment: ended, notifications, error: new AppError('invalid_state', 'The shop declined this payment', { payment_status: 'failed', failure_reason: 'declined_by_merchant' }) };
    }
    const approved = await payments.updatePayment(trx, payment.id, { prerequestPhone: first.phone, prerequestAt: deps.clock.now(), updatedAt: deps.clock.now() });
    return payApproved(deps, trx, approved, first.phone, deps.clock.now(), 'passkey');
  });
  return afterCommit(deps, second).payment;
}

async function lockPayable(deps: PayDeps, trx: Knex.Transaction, paymentId: PaymentId): Promise<Payment> {
  const payment = await lockOwnedPayment(trx, paymentId);
  if (isPaid(payment.status)) throw new AppError('invalid_state', `The payment is already ${payment.status}`, { payment_status: payment.status });
  if (await expireOpenPayment(deps, trx, payment)) throw new AppError('invalid_state', 'The payment has expired', { payment_status: 'expired' });
  assertCanDo('approve with a passkey', payment.status);
  return payment;
}

async function approveLocked(deps: PayDeps, trx: Knex.Transaction, paymentId: PaymentId, response: unknown, signed: Uint8Array, nonce: Uint8Array): Promise<Approved> {
  const payment = await lockPayable(deps, trx, paymentId);
  // the payment as it stands now: another amount, currency or shop derives another challenge than the one signed
  const expected = paymentChallenge(payment, nonce);
  if (expected.length !== signed.length || !timingSafeEqual(expected, signed)) throw passkeyRefused();
  const { user } = await verifyPasskey(deps, trx, response, expected);
  if (user.audience !== 'me' || !user.phone) throw passkeyRefused();
  const phone = user.phone;
  // a frozen wallet throws here, as for a code (docs/buyer-guide.md#freeze-i-lost-my-phone)
  const wallet = await payerWallet(trx, phone, payment.currency, payment.mode);
  if (!wallet) throw new AppError('no_wallet', `No ${payment.currency} wallet is linked to this phone`);
  const now = deps.clock.now();
  const merchant = (await findShop(trx, payment.shopId))!;
  // docs/merchant-guide.md#the-result-notification: every phone about to pay is asked for first
  if (merchant.prerequest && payment.prerequestPhone !== phone) {
    const asked = await payments.updatePayment(trx, payment.id, { phone, payerPurse: wallet.purse, payerWm: wallet.holderId, updatedAt: now });
    return { prerequest: asked, phone };
  }
  return payApproved(deps, trx, payment, phone, now, 'passkey');
}
