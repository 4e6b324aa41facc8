import type { Deps, PayDeps } from '../shared/deps.js';
import type { Mode } from '../../domain/ledger.js';
import { finishSend, preparePhone, reserveSms, type SendCodeResult } from './send-code.js';
import { inTransaction, type Knex } from '../../postgres/db.js';
import * as payments from '../../store/payments.js';
import { findWallet } from '../../store/wallets.js';
import { AppError, invalidRequest } from '../../domain/errors.js';
import { newId, type MerchantId } from '../../domain/ids.js';
import { secondsAfter } from '../../domain/time.js';
import { checkShopTakes } from '../../domain/shop-rules.js';
import { checkCallbackUrl } from '../../domain/merchant-urls.js';
import { isPaid, type CaptureMode, type Payment } from '../../domain/payment.js';
import type { Minor } from '../../domain/money.js';
import type { Phone } from '../../domain/phone.js';
import { expireOpenPayment } from './expire-payments.js';
import { createWithCode } from './create-with-code.js';
import { testPhoneBehaviour } from '../../domain/test-phones.js';
import { consumeRiding } from '../limits/rate-limit.js';
import type { RidingHit } from '../limits/riding-hits.js';
import type { RedirectMethod } from '../../domain/lmi.js';
import type { Shop } from '../../domain/shop.js';
import type { Wallet } from '../../domain/wallet.js';

export type CreatePaymentInput = {
  /** The shop of the payee purse (none: the purse is no shop's): its settings, URLs and methods apply. */
  shop: Shop | undefined;
  payeePurse: string;
  /** The merchant asking (the API): the purse must be one of its wallets. */
  merchantId?: MerchantId;
  /** The API key's mode: the payee purse must be a purse of that mode (docs/merchant-guide.md#test-mode). */
  mode?: Mode;
  amount: Minor;
  paymentNo: bigint | null;
  description: string;
  source: 'form' | 'api';
  /** The API's Idempotency-Key: a replayed create finds the payment it made, even after a crash. */
  createKey: string | null;
  resultUrl?: string;
  successUrl?: string;
  failUrl?: string;
  successMethod?: RedirectMethod;
  failMethod?: RedirectMethod;
  captureMode?: CaptureMode;
  customFields: [string, string][];
  metadata: Record<string, string>;
  simMode: 0 | 1 | 2 | null;
  lang: string | null;
  /** A phone to send the code to at once (the merchant collected it on its own page). */
  phone: Phone | null;
  /** The hosted form: the browser that posted it (its steps belong to it). */
  browserHash?: string;
  /** How the buyer will pay: by code (forms, and the API by default) or by a pay link. */
  send?: 'code' | 'link';
  /** The buyer's e-mail for the receipt (docs/buyer-guide.md#receipts). */
  email?: string | null;
  /** The payee's and payer's wallets, when one read brought them with the shop (readForCreate): no second look. */
  read?: { payee: Wallet | undefined; payer: Wallet | undefined };
  /** The API key's rate hit, counted by tp_create when the payment is made in one statement. */
  hit?: RidingHit;
};

export type CreatePaymentResult = { payment: Payment; resumed: boolean; code?: SendCodeResult };

function overrideUrl(field: string, raw: string | undefined, shop: Shop, allowPrivate: boolean): string | undefined {
  if (raw === undefined) return undefined;
  const check = checkCallbackUrl(raw, shop, allowPrivate);
  if (!check.ok) throw invalidRequest(`${field} ${check.reason}`, [{ field, message: check.reason }]);
  return check.url;
}

/** The one check that the payee purse is a wallet of the shop, and the shop one of the asking merchant's. */
async function payeeOf(deps: Pick<Deps, 'db'>, input: Pick<CreatePaymentInput, 'shop' | 'payeePurse' | 'merchantId' | 'mode' | 'read'>): Promise<{ shop: Shop; wallet: Wallet }> {
  const { shop, merchantId, mode } = input;
  const wallet = shop && (input.read ? input.read.payee : await findWallet(deps.db, input.payeePurse));
  if (!shop || !wallet || wallet.shopId !== shop.id || (merchantId !== undefined && shop.merchantId !== merchantId)) {
    throw invalidRequest('The payee purse is not a wallet of this merchant', [{ field: 'payee_purse', message: 'not a wallet of this merchant' }]);
  }
  if (mode !== undefined && wallet.mode !== mode) {
    throw invalidRequest(`The payee purse is a ${wallet.mode} purse: use a tp_${wallet.mode}_ key`, [{ field: 'payee_purse', message: `a ${wallet.mode} purse, not a ${mode} one` }]);
  }
  return { shop, wallet };
}

/**
 * Opens a payment to one of the merchant's wallets. A repeated order number (LMI_PAYMENT_NO) on the
 * same purse resumes the open payment when the amount is the same, and is refused when it is
 * already paid or the amount differs.
 */
export async function createPayment(deps: PayDeps, input: CreatePaymentInput): Promise<CreatePaymentResult> {
  const { shop, wallet } = await payeeOf(deps, input);
  if (shop.merchantStatus === 'suspended') throw new AppError('merchant_suspended', 'This shop does not accept payments now');
  // a form cannot choose: it authorizes only where the shop offers manual capture, else it pays at once
  const captureMode = input.captureMode ?? (input.source === 'form' && !shop.methods.includes('manual_capture') ? 'automatic' : shop.captureMode);
  checkShopTakes(shop, { send: input.send ?? 'code', capture: captureMode, source: input.source });
  const allowPrivate = deps.config.allowPrivateCallbacks;
  const now = deps.clock.now();
  const row: payments.NewPayment = {
    id: newId('pay'),
    merchantId: shop.merchantId,
    shopId: shop.id,
    payeePurse: wallet.purse,
    currency: wallet.currency,
    mode: wallet.mode,
    amount: input.amount,
    status: 'created',
    paymentNo: input.paymentNo,
    description: input.description,
    source: input.source,
    createKey: input.createKey,
    phone: null,
    captureMode,
    resultUrl: overrideUrl('result_url', input.resultUrl, shop, allowPrivate) ?? shop.resultUrl,
    // the buyer's browser goes to these; only the registered-host rule applies
    successUrl: overrideUrl('success_url', input.successUrl, shop, true) ?? shop.successUrl,
    failUrl: overrideUrl('fail_url', input.failUrl, shop, true) ?? shop.failUrl,
    successMethod: input.successMethod ?? shop.successMethod,
    failMethod: input.failMethod ?? shop.failMethod,
    customFields: input.customFields,
    metadata: input.metadata,
    // the purse decides: a form naming a test purse is a test payment (docs/merchant-guide.md#test-mode)
    simMode: wallet.mode === 'test' ? input.simMode : null,
    lang: input.lang,
    browserHash: input.browserHash ?? null,
    buyerEmail: input.email ?? null,
    createdAt: now,
    updatedAt: now,
    expiresAt: secondsAfter(now, deps.config.paymentTtlSeconds),
  };
  // the API's usual create, a phone and a code: one statement (docs/architecture.md#money-statements); the shared test phones get their wallets on the way, below
  const oneStatement = input.phone && input.read && input.send !== 'link' && !testPhoneBehaviour(input.phone, wallet.mode);
  if (oneStatement) {
    const made = await createWithCode(deps, { row, shop, phone: input.phone!, payer: input.read!.payer, hit: input.hit });
    if (made) return { ...made, resumed: false };
  }
  // a statement that made nothing has counted the SMS reservation and the key's hit already
  await consumeRiding(deps, input.hit);
  if (input.phone && !oneStatement) await reserveSms(deps, input.phone, wallet.mode);
  const created = await inTransaction(deps.db, async (trx) => {
    const result = await insertOrResume(deps, trx, row);
    // a new payment with a phone gets its code in the same transaction: one commit, no second lock
    const step = input.phone && result.payment.status === 'created' ? await preparePhone(deps, trx, result.payment, { phone: input.phone, shop: result.payment.shopId === shop.id ? shop : undefined }) : undefined;
    // a phone with no wallet creates nothing: the merchant hears no_wallet and may try another phone
    if (step && 'stopped' in step && step.stopped.status === 'created') throw step.error;
    return { ...result, step };
  });
  if (!created.step) return created;
  const code = await finishSend(deps, { paymentId: created.payment.id, phone: input.phone! }, created.step);
  return { payment: code.payment, resumed: created.resumed, code };
}

async function insertOrResume(deps: Deps, trx: Knex.Transaction, row: payments.NewPayment): Promise<CreatePaymentResult> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const created = await payments.insertPayment(trx, row);
    if (created) return { payment: created, resumed: false };
    if (row.createKey) {
      const same = await payments.findByCreateKey(trx, row.merchantId, row.createKey);
      // the key made a payment of the other mode: another request, never the live payment shown to a test key
      if (same && same.mode !== row.mode) throw new AppError('idempotency_key_reused', 'This Idempotency-Key was used with a key of the other mode');
      if (same) return { payment: same, resumed: true };
    }
    const existing = row.paymentNo === null ? undefined : await payments.findLiveOrderPayment(trx, row.payeePurse, row.paymentNo);
    if (!existing) continue; // the conflicting payment ended meanwhile
    if (isPaid(existing.status)) {
      throw new AppError('already_paid', `Order ${row.paymentNo} is already paid`, { payment_id: existing.id });
    }
    const locked = (await payments.lockPayment(trx, existing.id))!;
    if (await expireOpenPayment(deps, trx, locked)) continue;
    if (locked.amount !== row.amount) {
      throw new AppError('payment_no_conflict', `Order ${row.paymentNo} has an open payment of another amount`, { payment_id: existing.id });
    }
    if (row.source === 'form' && !resumableByForm(locked, row.browserHash)) {
      throw new AppError('payment_in_progress', `Order ${row.paymentNo} is being paid in another browser`);
    }
    return { payment: locked, resumed: true };
  }
  throw new AppError('payment_no_conflict', `Order ${row.paymentNo} is busy; try again`);
}

/**
 * docs/merchant-guide.md#the-form: a form resumes an open payment only in the browser that started it, and never a payment
 * made through the API; anyone else learns only that the order is being paid.
 */
function resumableByForm(open: Payment, browserHash: string | null): boolean {
  return open.source === 'form' && browserHash !== null && open.browserHash === browserHash;
}
