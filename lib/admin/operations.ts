import type { PaymentId } from '../domain/ids.js';
import type { Deps, PayDeps } from '../use-cases/shared/deps.js';
import type { CreateMerchantBody, CreateWalletBody, ListMerchantsQuery, ListMessagesQuery, TopUpBody, UpdateMerchantBody } from '../schemas/admin.js';
import type { MerchantId, ShopId, UserId } from '../domain/ids.js';
import type { AdminUpdateShopBody, CreateShopBody, ListFeesQuery } from '../schemas/admin.js';
import { listFeeWallets } from '../use-cases/operators/read.js';
import { createShop, readShop, updateShop } from '../use-cases/shops/manage-shops.js';
import { shopJson } from '../presenters/shop.js';
import { listMerchantAccounts, readMerchantAccount, updateMerchantAccount } from '../use-cases/merchants/manage-merchants.js';
import type { RefundBody } from '../schemas/payments.js';
import { refundPayment } from '../use-cases/payments/refund-payment.js';
import { listRefundsOfPayment } from '../use-cases/payments/list-refunds.js';
import { listMessages } from '../use-cases/messages/list-messages.js';
import { readWallet } from '../use-cases/buyers/read-wallet.js';
import { createMerchant } from '../use-cases/merchants/create-merchant.js';
import { createWallet } from '../use-cases/buyers/create-wallet.js';
import { topUpWallet } from '../use-cases/buyers/top-up-wallet.js';
import { checkLedger } from '../use-cases/operators/read.js';
import { formatAmount } from '../domain/money.js';
import { smsJson } from '../presenters/sms.js';
import { refundJson } from '../presenters/refund.js';
import { walletJson } from '../presenters/wallet.js';
import { merchantJson } from '../presenters/merchant.js';
import { payoutJson } from '../presenters/payout.js';
import { listPayouts } from '../use-cases/payouts/list-payouts.js';
import { settlePayout, type PayoutEnd } from '../use-cases/payouts/settle-payout.js';
import { runScheduledPayouts } from '../use-cases/payouts/run-scheduled-payouts.js';
import type { AdminListPayoutsQuery } from '../schemas/payouts.js';
import type { CreateUserBody, UpdateUserBody } from '../schemas/admin.js';
import { createOfficeUser } from '../use-cases/office/create-user.js';
import { changeOfficeUser } from '../use-cases/office/change-user.js';
import { userJson } from '../presenters/user.js';
import { liftAddress, liftApiKey, liftEmail, liftPhone, liftRange, listLimited } from '../use-cases/limits/manage-limits.js';
import type { ApiKeyId } from '../domain/ids.js';
import type { Phone } from '../domain/phone.js';
import type { Mode } from '../domain/ledger.js';
import type { PayoutId } from '../domain/ids.js';

/**
 * The operator interface, shared by the admin HTTP API and the CLI: input already parsed by the
 * caller with lib/schemas, JSON out. `created` tells the HTTP layer whether to answer 201.
 */
export type Outcome = { created: boolean; body: Record<string, unknown> };

export async function adminCreateMerchant(deps: Deps, body: CreateMerchantBody): Promise<Outcome> {
  const { merchant, shop, purse, apiKey, secretKey, webhookSecret } = await createMerchant(deps, {
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
    body: { ...merchantJson(merchant, [purse], shop), currency: body.currency, api_key: apiKey, secret_key: secretKey, webhook_secret: webhookSecret },
  };
}

export async function adminCreateWallet(deps: Deps, body: CreateWalletBody): Promise<Outcome> {
  const wallet = await createWallet(deps, body);
  return { created: true, body: walletJson(wallet) };
}

export async function adminTopUp(deps: Deps, purse: string, { amount }: TopUpBody, idempotencyKey?: string): Promise<Outcome> {
  const result = await topUpWallet(deps, { purse, amount, idempotencyKey });
  return { created: !result.replayed, body: { transfer_id: String(result.transferId), amount: formatAmount(amount), ...walletJson(result.wallet) } };
}

export async function adminShowWallet(deps: Deps, purse: string): Promise<Outcome> {
  return { created: false, body: walletJson(await readWallet(deps, purse)) };
}

export async function adminCheckLedger(deps: Deps, onProgress?: (done: number, total: number) => void): Promise<Outcome> {
  const report = await checkLedger(deps, onProgress);
  return { created: false, body: { ok: report.ok, checked_at: report.checkedAt, counts: report.counts, problems: report.problems } };
}

export async function adminRefund(deps: PayDeps, paymentId: PaymentId, body: RefundBody, createKey?: string): Promise<Outcome> {
  const { refund, replayed } = await refundPayment(deps, { paymentId, amount: body.amount, phone: body.phone, createKey });
  return { created: !replayed, body: refundJson(refund) };
}

export async function adminListRefunds(deps: Deps, paymentId: PaymentId): Promise<Outcome> {
  return { created: false, body: { data: (await listRefundsOfPayment(deps, paymentId)).map(refundJson) } };
}

export async function adminListMessages(deps: Deps, q: ListMessagesQuery): Promise<Outcome> {
  const rows = await listMessages(deps, { paymentId: q.payment_id, phone: q.phone, limit: q.limit });
  return { created: false, body: { data: rows.map((m) => smsJson(m, 'operator')) } };
}

export async function adminListMerchants(deps: Deps, q: ListMerchantsQuery): Promise<Outcome> {
  const page = await listMerchantAccounts(deps, { limit: q.limit, after: q.cursor });
  return { created: false, body: { data: page.data.map((v) => merchantJson(v.merchant, v.purses, v.shops[0])), has_more: page.hasMore, next_cursor: page.nextCursor } };
}

export async function adminShowMerchant(deps: Deps, id: MerchantId): Promise<Outcome> {
  const view = await readMerchantAccount(deps, id);
  return { created: false, body: merchantJson(view.merchant, view.purses, view.shops[0]) };
}

export async function adminUpdateMerchant(deps: Deps, id: MerchantId, body: UpdateMerchantBody): Promise<Outcome> {
  const view = await updateMerchantAccount(deps, id, {
    name: body.name, status: body.status, payoutSchedule: body.payout_schedule, payoutMinimum: body.payout_minimum,
    payoutDelayDays: body.payout_delay_days, payoutAccount: body.payout_account,
  });
  return { created: false, body: merchantJson(view.merchant, view.purses, view.shops[0]) };
}

export async function adminCreateShop(deps: PayDeps, merchantId: MerchantId, body: CreateShopBody): Promise<Outcome> {
  const created = await createShop(deps, merchantId, body, undefined, 'operator');
  return { created: true, body: { ...shopJson(created.shop, created.purses), secret_key: created.secretKey, webhook_secret: created.webhookSecret } };
}

export async function adminShowShop(deps: Deps, id: ShopId): Promise<Outcome> {
  const view = await readShop(deps, id);
  return { created: false, body: shopJson(view.shop, view.purses) };
}

export async function adminUpdateShop(deps: PayDeps, id: ShopId, body: AdminUpdateShopBody): Promise<Outcome> {
  const view = await updateShop(deps, id, undefined, body);
  return { created: false, body: shopJson(view.shop, view.purses) };
}

/** GET /admin/v1/fees: the operator's fee wallets (docs/merchant-guide.md#fees). */
export async function adminListFees(deps: Deps, q: ListFeesQuery): Promise<Outcome> {
  const rows = await listFeeWallets(deps, q);
  return { created: false, body: { data: rows.map((w) => ({ currency: w.currency, mode: w.mode, purse: w.purse, balance: formatAmount(w.balance) })) } };
}

/** The operator's payouts (docs/merchant-guide.md#balance-payouts-and-statements), newest first. */
export async function adminListPayouts(deps: Deps, q: AdminListPayoutsQuery): Promise<Outcome> {
  const page = await listPayouts(deps, { merchantId: q.merchant_id, status: q.status, limit: q.limit, cursor: q.cursor });
  return { created: false, body: { data: page.data.map(payoutJson), has_more: page.hasMore, next_cursor: page.nextCursor } };
}

export async function adminSettlePayout(deps: PayDeps, id: PayoutId, end: PayoutEnd): Promise<Outcome> {
  return { created: false, body: payoutJson(await settlePayout(deps, id, end)) };
}

export async function adminRunPayouts(deps: Deps, onProgress?: (done: number, total: number) => void): Promise<Outcome> {
  const run = await runScheduledPayouts(deps, onProgress);
  return { created: false, body: { created: run.created, skipped: run.skipped } };
}

/** POST /admin/v1/merchants/{id}/users: the set-up link is in this answer only. */
export async function adminCreateUser(deps: Deps, merchantId: MerchantId, body: CreateUserBody): Promise<Outcome> {
  const user = await createOfficeUser(deps, merchantId, body);
  return { created: true, body: { id: user.id, object: 'user', email: user.email, role: user.role, setup_url: user.setupUrl, setup_expires_at: user.setupExpiresAt.toISOString() } };
}

/** PATCH /admin/v1/users/{id} (docs/merchant-guide.md#back-office): role, status, a new set-up link (in this answer only), the authenticator removed. */
export async function adminUpdateUser(deps: Deps, id: UserId, body: UpdateUserBody): Promise<Outcome> {
  const { user, setupUrl } = await changeOfficeUser(deps, id, { role: body.role, status: body.status, resetPassword: body.reset_password, resetTotp: body.reset_totp }, null);
  return { created: false, body: userJson(user, setupUrl) };
}

/** GET /admin/v1/limits: the phones and number ranges currently limited (docs/merchant-guide.md#abuse-limits). */
export async function adminListLimits(deps: Deps): Promise<Outcome> {
  const limited = await listLimited(deps);
  return {
    created: false,
    body: {
      phones: limited.phones.map((p) => ({ phone: `+${p.phone}`, mode: p.mode, wrong_codes_today: p.wrongTries, locked: p.locked })),
      ranges: limited.ranges.map((r) => ({ range: `+${r.range}`, sms_this_hour: r.sms, window_start: r.windowStart.toISOString() })),
      addresses: limited.addresses.map((a) => ({ address: a.address, limit: a.limit, hits: a.hits, window_start: a.windowStart.toISOString() })),
    },
  };
}

/** POST /admin/v1/limits/phones/{phone}/lift: what the phone went through so far no longer counts. */
export async function adminLiftPhone(deps: Deps, phone: Phone, mode: Mode): Promise<Outcome> {
  await liftPhone(deps, phone, mode, 'operator');
  return { created: false, body: { phone: `+${phone}`, mode, lifted: true } };
}

/** POST /admin/v1/limits/addresses/{address}/lift: an address (IPv4 or IPv6 /64) held back by the hosted pages' or sign-in limits goes on. */
export async function adminLiftAddress(deps: Deps, address: string): Promise<Outcome> {
  await liftAddress(deps, address, 'operator');
  return { created: false, body: { address, lifted: true } };
}

/** POST /admin/v1/limits/emails/{email}/lift: a back-office e-mail locked by failed sign-ins may sign in again. */
export async function adminLiftEmail(deps: Deps, email: string): Promise<Outcome> {
  await liftEmail(deps, email);
  return { created: false, body: { email, lifted: true } };
}

/** POST /admin/v1/limits/ranges/{range}/lift: the number range's SMS this hour no longer count. */
export async function adminLiftRange(deps: Deps, range: string): Promise<Outcome> {
  await liftRange(deps, range);
  return { created: false, body: { range: `+${range}`, lifted: true } };
}

/** POST /admin/v1/limits/api-keys/{id}/lift: the key's requests this second and its wrong codes so far no longer count. */
export async function adminLiftApiKey(deps: Deps, keyId: ApiKeyId): Promise<Outcome> {
  await liftApiKey(deps, keyId, 'operator');
  return { created: false, body: { api_key_id: keyId, lifted: true } };
}
