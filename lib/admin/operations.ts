import type { Deps, PayDeps } from '../use-cases/deps.js';
import { parseInput } from '../schemas/parse.js';
import { createMerchantBody, createWalletBody, listMessagesQuery, topUpBody } from '../schemas/admin.js';
import { listSms } from '../store/sms-messages.js';
import { smsJson } from '../presenters/sms.js';
import { idParam, refundBody } from '../schemas/payments.js';
import { refundPayment } from '../use-cases/refund-payment.js';
import { listRefunds } from '../store/refunds.js';
import { findPayment } from '../store/payments.js';
import { refundJson } from '../presenters/refund.js';
import { purseParam } from '../schemas/common.js';
import { createMerchant } from '../use-cases/create-merchant.js';
import { createWallet } from '../use-cases/create-wallet.js';
import { topUpWallet } from '../use-cases/top-up-wallet.js';
import { checkLedger } from '../use-cases/check-ledger.js';
import { findWallet } from '../store/wallets.js';
import { AppError } from '../domain/errors.js';
import { formatAmount } from '../domain/money.js';
import { walletJson } from '../presenters/wallet.js';
import { merchantJson } from '../presenters/merchant.js';

/**
 * The operator interface, shared by the admin HTTP API and the CLI: raw input in, validated with
 * the same schemas, JSON out. `created` tells the HTTP layer whether to answer 201.
 */
export type Outcome = { created: boolean; body: Record<string, unknown> };

export async function adminCreateMerchant(deps: Deps, raw: unknown): Promise<Outcome> {
  const body = parseInput(createMerchantBody, raw);
  const { merchant, purse, apiKey } = await createMerchant(deps, {
    name: body.name,
    currency: body.currency,
    mode: body.mode,
    resultUrl: body.result_url,
    successUrl: body.success_url,
    failUrl: body.fail_url,
    webhookUrl: body.webhook_url,
    allowedHosts: body.allowed_hosts,
    hashMethod: body.hash_method,
    prerequest: body.prerequest,
    requireSignedForms: body.require_signed_forms,
    allowFormUrls: body.allow_form_urls,
    successMethod: body.success_method,
    failMethod: body.fail_method,
    captureMode: body.capture,
  });
  return {
    created: true,
    body: { ...merchantJson(merchant, [purse]), currency: body.currency, api_key: apiKey, secret_key: merchant.secretKey, webhook_secret: merchant.webhookSecret },
  };
}

export async function adminCreateWallet(deps: Deps, raw: unknown): Promise<Outcome> {
  const wallet = await createWallet(deps, parseInput(createWalletBody, raw));
  return { created: true, body: walletJson(wallet) };
}

export async function adminTopUp(deps: Deps, rawPurse: unknown, raw: unknown, idempotencyKey?: string): Promise<Outcome> {
  const purse = parseInput(purseParam, rawPurse, 'purse');
  const { amount } = parseInput(topUpBody, raw);
  const result = await topUpWallet(deps, { purse, amount, idempotencyKey });
  return { created: !result.replayed, body: { transfer_id: String(result.transferId), amount: formatAmount(amount), ...walletJson(result.wallet) } };
}

export async function adminShowWallet(deps: Deps, rawPurse: unknown): Promise<Outcome> {
  const purse = parseInput(purseParam, rawPurse, 'purse');
  const wallet = await findWallet(deps.db, purse);
  if (!wallet) throw new AppError('wallet_not_found', `Wallet ${purse} does not exist`);
  return { created: false, body: walletJson(wallet) };
}

export async function adminCheckLedger(deps: Deps): Promise<Outcome> {
  const report = await checkLedger(deps);
  return { created: false, body: { ok: report.ok, checked_at: report.checkedAt, counts: report.counts, problems: report.problems } };
}

export async function adminRefund(deps: PayDeps, rawPaymentId: unknown, raw: unknown): Promise<Outcome> {
  const paymentId = parseInput(idParam, rawPaymentId, 'payment id');
  const body = parseInput(refundBody, raw);
  const { refund } = await refundPayment(deps, { paymentId, amount: body.amount, phone: body.phone });
  return { created: true, body: refundJson(refund) };
}

export async function adminListRefunds(deps: Deps, rawPaymentId: unknown): Promise<Outcome> {
  const paymentId = parseInput(idParam, rawPaymentId, 'payment id');
  if (!(await findPayment(deps.db, paymentId))) throw new AppError('payment_not_found', `No payment ${paymentId}`);
  return { created: false, body: { data: (await listRefunds(deps.db, paymentId)).map(refundJson) } };
}

export async function adminListMessages(deps: Deps, raw: unknown): Promise<Outcome> {
  const q = parseInput(listMessagesQuery, raw, 'query');
  const rows = await listSms(deps.db, { paymentId: q.payment_id, phone: q.phone, limit: q.limit });
  return { created: false, body: { data: rows.map((m) => smsJson(m, 'operator')) } };
}
