import { createMerchantBody, createShopBody, createUserBody, updateUserBody, userIdParam, createWalletBody, listFeesQuery, listMerchantsQuery, listMessagesQuery, liftQuery, addressParam, emailParam, rangeParam, merchantIdParam, shopIdParam, topUpBody, updateMerchantBody, adminUpdateShopBody } from '../../schemas/admin.js';
import { adminListPayoutsQuery, payoutCsvQuery, payoutFailedBody, payoutIdParam, payoutPaidBody } from '../../schemas/payouts.js';
import { apiKeyIdParam, idParam, refundBody } from '../../schemas/payments.js';
import { phoneInput, purseParam } from '../../schemas/common.js';
import * as o from '../../schemas/objects.js';
import * as a from '../../schemas/admin-objects.js';
import { BANK_COLUMNS } from '../../presenters/payout.js';
import * as ex from './examples.js';
import type { ApiDescription, Operation } from './operation.js';
import { phoneOps } from './phone-ops.js';
import { voucherOps } from './voucher-ops.js';
import { walletOfPhoneOps } from './wallet-ops.js';
import { consoleOps } from './console-ops.js';

const merchant = { id: merchantIdParam.meta({ description: 'The merchant id', example: ex.MERCHANT_ID }) };
const shop = { id: shopIdParam.meta({ description: 'The shop id', example: ex.SHOP_ID }) };
const payout = { id: payoutIdParam.meta({ description: 'The payout id', example: ex.payout.id }) };
const purse = { purse: purseParam.meta({ description: 'The purse', example: ex.PURSE }) };
const secrets = { api_key: 'tp_live_…', secret_key: 'sk_…', webhook_secret: 'whsec_…' };

const merchantOps: Operation[] = [
  {
    method: 'post', path: '/merchants', tag: 'Merchants', summary: 'Create a merchant', description: 'A merchant with its first shop, purse and API key. The API key, secret key and webhook secret are in this answer only.',
    body: createMerchantBody, bodyExample: { name: 'Test Shop', currency: 'USD', result_url: 'https://shop.example.net/telepurse/result', mode: 'live' },
    answer: { status: 201, description: 'The merchant, with its secrets', schema: a.createdMerchantObject, example: { ...ex.merchant, currency: 'USD', ...secrets } }, errors: [],
  },
  { method: 'get', path: '/merchants', tag: 'Merchants', summary: 'List merchants', description: 'Oldest first, by pages.', query: listMerchantsQuery, answer: { status: 200, description: 'A page of merchants', schema: a.merchantList, example: ex.list(ex.merchant) }, errors: [] },
  { method: 'get', path: '/merchants/:id', tag: 'Merchants', summary: 'Get a merchant', description: 'With the settings of its first shop.', params: merchant, answer: { status: 200, description: 'The merchant', schema: a.merchantObject, example: ex.merchant }, errors: ['merchant_not_found'] },
  {
    method: 'patch', path: '/merchants/:id', tag: 'Merchants', summary: 'Change a merchant', description: 'Name, status (a suspended merchant takes no payments; refunds still work) and payout settings.',
    params: merchant, body: updateMerchantBody, bodyExample: { payout_schedule: 'weekly', payout_minimum: '10.00', payout_delay_days: 2, payout_account: 'DE89 3704 0044 0532 0130 00' },
    answer: { status: 200, description: 'The merchant as changed', schema: a.merchantObject, example: ex.merchant }, errors: ['merchant_not_found'],
  },
  {
    method: 'post', path: '/merchants/:id/users', tag: 'Merchants', summary: 'Create a back-office user', description: 'Answers a one-time set-up link, valid 72 hours, in this answer only.',
    params: merchant, body: createUserBody, bodyExample: { email: 'owner@shop.example.net', role: 'owner' },
    answer: { status: 201, description: 'The user and the set-up link', schema: a.createdUserObject, example: { id: 'usr_8r0t2v4x6z8b0d2f4h6k8m0p', object: 'user', email: 'owner@shop.example.net', role: 'owner', setup_url: 'https://pay.telepurse.dev/office/setup/3kq9x2m4v7b1n8c5z6w0', setup_expires_at: '2026-12-04T10:00:00.000Z' } },
    errors: ['merchant_not_found', 'user_exists'],
  },
  {
    method: 'patch', path: '/users/:id', tag: 'Merchants', summary: 'Change a back-office user',
    description: 'Role; status (disabled: it cannot sign in, and every session of it ends at once); reset_password (the password is removed, every session ends, and a new one-time set-up link, valid 72 hours, is in this answer only); reset_totp (the authenticator is removed). The operator may leave a merchant without an active owner; an owner in the back office may not.',
    params: { id: userIdParam.meta({ description: 'The user id', example: 'usr_8r0t2v4x6z8b0d2f4h6k8m0p' }) }, body: updateUserBody, bodyExample: { status: 'disabled' },
    answer: { status: 200, description: 'The user as changed', schema: a.userObject, example: { id: 'usr_8r0t2v4x6z8b0d2f4h6k8m0p', object: 'user', merchant_id: ex.MERCHANT_ID, email: 'staff@shop.example.net', role: 'staff', status: 'disabled', totp: false, setup_pending: false, created_at: '2026-12-01T10:00:00.000Z', setup_url: null } },
    errors: ['user_not_found'],
  },
  {
    method: 'post', path: '/merchants/:id/shops', tag: 'Shops', summary: 'Add a shop to a merchant', description: 'As the merchant\'s POST /shops; the two secrets are in this answer only.',
    params: merchant, body: createShopBody, bodyExample: { name: 'Second Shop', currency: 'EUR' },
    answer: { status: 201, description: 'The shop, with its secrets', schema: o.createdShopObject, example: { ...ex.shop, secret_key: 'sk_…', webhook_secret: 'whsec_…' } }, errors: ['merchant_not_found', 'country_not_allowed', 'logo_invalid'],
  },
  { method: 'get', path: '/shops/:id', tag: 'Shops', summary: 'Get a shop', description: 'Any merchant\'s shop.', params: shop, answer: { status: 200, description: 'The shop', schema: o.shopObject, example: ex.shop }, errors: ['shop_not_found'] },
  {
    method: 'patch', path: '/shops/:id', tag: 'Shops', summary: 'Change a shop', description: 'Everything a merchant may change, and the shop\'s own fee (null: back to the default). New alert recipients get a confirmation link and no alert until they click it, as when the merchant adds them.',
    params: shop, body: adminUpdateShopBody, bodyExample: { fee: { percent: '2.50', fixed: '0.10', refund: 'return' } },
    answer: { status: 200, description: 'The shop as changed', schema: o.shopObject, example: { ...ex.shop, fee: { percent: '2.50', fixed: '0.10', refund: 'return' } } }, errors: ['shop_not_found', 'country_not_allowed', 'logo_invalid'],
  },
];

const walletOps: Operation[] = [
  {
    method: 'post', path: '/wallets', tag: 'Wallets', summary: 'Create a wallet', description: 'A phone\'s wallet (with phone) or a bare one; one per phone, currency and mode.',
    body: createWalletBody, bodyExample: { currency: 'USD', phone: '+7 903 123-45-67' },
    answer: { status: 201, description: 'The wallet', schema: o.walletObject, example: { ...ex.wallet, purse: ex.PAYER_PURSE, kind: 'phone', phone: '+79031234567', balance: '0.00', available: '0.00' } }, errors: ['phone_already_linked'],
  },
  { method: 'get', path: '/wallets/:purse', tag: 'Wallets', summary: 'Get a wallet', description: 'Any wallet.', params: purse, answer: { status: 200, description: 'The wallet', schema: o.walletObject, example: ex.wallet }, errors: ['wallet_not_found'] },
  {
    method: 'post', path: '/wallets/:purse/topups', tag: 'Wallets', summary: 'Top up a wallet', description: 'Money from the issuance account; with Idempotency-Key a retry tops up once (the first answer again; after that answer was lost or 24 h, the top-up the key made, with 200).',
    params: purse, body: topUpBody, bodyExample: { amount: '100.00' },
    answer: { status: 201, description: 'The wallet after the top-up (200 when a retry finds it after its answer was lost)', schema: a.topUpObject, example: { ...ex.wallet, transfer_id: '1187', amount: '100.00' } }, errors: ['wallet_not_found', 'idempotency_key_reused'],
  },
  { method: 'get', path: '/fees', tag: 'Wallets', summary: 'Fee wallets', description: 'The operator\'s fee wallet of each currency and mode: its purse, and its balance over all the ledger accounts it is kept in (32, so payments do not queue on one; `GET /wallets/{purse}` shows one account).', query: listFeesQuery, answer: { status: 200, description: 'The fee wallets', schema: a.feeWalletList, example: { data: [{ currency: 'USD', mode: 'live', purse: 'Z000000000003', balance: '1204.16' }] } }, errors: [] },
];

const operationOps: Operation[] = [
  {
    method: 'post', path: '/payments/:id/refunds', tag: 'Payments', summary: 'Refund any payment', description: 'As the merchant\'s refund, for any merchant, a suspended one included. With Idempotency-Key a retry gets the first answer again instead of refunding again; after that answer was lost (a crash) or 24 h, it still finds the refund the key made (200).',
    params: { id: idParam.meta({ example: ex.PAYMENT_ID }) }, body: refundBody, bodyExample: { amount: '2.00' },
    answer: { status: 201, description: 'The refund (200 when a retry finds it after its answer was lost)', schema: o.refundObject, example: ex.refund }, errors: ['payment_not_found', 'refund_exceeds_payment', 'refund_window_closed', 'insufficient_funds', 'no_wallet', 'invalid_state'],
  },
  { method: 'get', path: '/messages', tag: 'Payments', summary: 'SMS sent', description: 'The latest SMS, by payment or phone; codes blanked out, phones masked.', query: listMessagesQuery, answer: { status: 200, description: 'The messages', schema: a.operatorSmsList, example: { data: [{ ...ex.sms, phone: '+7903*****67' }] } }, errors: [] },
  { method: 'get', path: '/payouts', tag: 'Payouts', summary: 'List payouts', description: 'Every merchant\'s payouts, newest first.', query: adminListPayoutsQuery, answer: { status: 200, description: 'A page of payouts', schema: o.payoutList, example: ex.list(ex.payout) }, errors: [] },
  { method: 'get', path: '/payouts.csv', tag: 'Payouts', summary: 'Payouts for the bank (CSV)', description: 'The payouts of a status (pending by default), one line each, for the bank transfer.', query: payoutCsvQuery, answer: { status: 200, description: 'The CSV', csv: BANK_COLUMNS }, errors: [] },
  { method: 'post', path: '/payouts/run', tag: 'Payouts', summary: 'Run scheduled payouts now', description: 'What the scheduled job does, once: every merchant due gets a payout of its period, at most one.', answer: { status: 200, description: 'What the run did', schema: a.payoutRunObject, example: { created: 3, skipped: { below_minimum: 2 } } }, errors: [] },
  {
    method: 'post', path: '/payouts/:id/paid', tag: 'Payouts', summary: 'Mark a payout paid', description: 'The bank sent it; its reference is kept and the merchant hears payout.paid.',
    params: payout, body: payoutPaidBody, bodyExample: { reference: 'BANK-2026-12-07-0042' },
    answer: { status: 200, description: 'The paid payout', schema: o.payoutObject, example: { ...ex.payout, status: 'paid', reference: 'BANK-2026-12-07-0042', paid_at: '2026-12-08T09:00:00.000Z' } }, errors: ['payout_not_found', 'payout_not_pending'],
  },
  {
    method: 'post', path: '/payouts/:id/failed', tag: 'Payouts', summary: 'Mark a payout failed', description: 'The bank returned it: the money goes back to the merchant\'s wallet in the same transaction.',
    params: payout, body: payoutFailedBody, bodyExample: { reason: 'account closed' },
    answer: { status: 200, description: 'The failed payout', schema: o.payoutObject, example: { ...ex.payout, status: 'failed', failure_reason: 'account closed', failed_at: '2026-12-08T09:00:00.000Z' } }, errors: ['payout_not_found', 'payout_not_pending'],
  },
  { method: 'get', path: '/limits', tag: 'Limits', summary: 'What is limited now', description: 'Phones locked by wrong codes, number ranges near their SMS cap and client addresses held back now (docs/merchant-guide.md#abuse-limits).', answer: { status: 200, description: 'The limits', schema: a.limitsObject, example: { phones: [{ phone: '+79031234567', mode: 'live', wrong_codes_today: 30, locked: true }], ranges: [], addresses: [{ address: '203.0.113.7', limit: 'page_codes', hits: 10, window_start: '2026-12-01T10:00:00.000Z' }] } }, errors: [] },
  {
    method: 'post', path: '/limits/phones/:phone/lift', tag: 'Limits', summary: 'Lift the limits of a phone', description: 'What the phone went through so far no longer counts.',
    params: { phone: phoneInput.meta({ example: '+79031234567' }) }, query: liftQuery,
    answer: { status: 200, description: 'Lifted', schema: a.liftObject, example: { phone: '+79031234567', mode: 'live', lifted: true } }, errors: [],
  },
  {
    method: 'post', path: '/limits/addresses/:address/lift', tag: 'Limits', summary: 'Lift the limits of a client address', description: 'An IPv4 address, or an IPv6 /64 (any address of it names it): its new payments, codes, wrong codes and sign-ins so far no longer count, nor its wrong codes against its share of any phone\'s tries.',
    params: { address: addressParam },
    answer: { status: 200, description: 'Lifted', schema: a.addressLiftObject, example: { address: '2001:db8:1:2::/64', lifted: true } }, errors: [],
  },
  {
    method: 'post', path: '/limits/emails/:email/lift', tag: 'Limits', summary: 'Lift the sign-in lock of a back-office e-mail', description: 'Its failed sign-ins so far no longer count: a user locked out for 15 minutes may sign in at once.',
    params: { email: emailParam },
    answer: { status: 200, description: 'Lifted', schema: a.emailLiftObject, example: { email: 'owner@shop.example', lifted: true } }, errors: [],
  },
  {
    method: 'post', path: '/limits/ranges/:range/lift', tag: 'Limits', summary: 'Lift the limit of a number range', description: 'The SMS this hour to the range (a phone without its last 4 digits) no longer count.',
    params: { range: rangeParam },
    answer: { status: 200, description: 'Lifted', schema: a.rangeLiftObject, example: { range: '+7903123', lifted: true } }, errors: [],
  },
  {
    method: 'post', path: '/limits/api-keys/:id/lift', tag: 'Limits', summary: 'Lift the limits of an API key', description: 'Its requests this second, and its wrong codes so far against its share of any phone\'s tries, no longer count.',
    params: { id: apiKeyIdParam.meta({ example: 'key_2b7kq9x0m4d8w1c6v3n5p7r2' }) },
    answer: { status: 200, description: 'Lifted', schema: a.apiKeyLiftObject, example: { api_key_id: 'key_2b7kq9x0m4d8w1c6v3n5p7r2', lifted: true } }, errors: [],
  },
  {
    method: 'get', path: '/ledger/check', tag: 'Ledger', summary: 'Check the ledger', description: 'Every invariant of the double-entry ledger: balances equal their postings, every transfer balances, payments, refunds, payouts and balance transactions agree with the money.',
    answer: { status: 200, description: 'The report', schema: a.ledgerReportObject, example: { ok: true, checked_at: '2026-12-01T10:00:00.000Z', counts: { transfers: 1187, postings: 2374 }, problems: { unbalanced: [] } } }, errors: [],
  },
];

export const ADMIN_API: ApiDescription = {
  title: 'telepurse operator API',
  description: 'For the operator of a telepurse service: merchants, shops, wallets, payouts to banks, abuse limits and the ledger check. Authenticate with ADMIN_TOKEN. Errors are RFC 9457 problem+json, and every POST takes Idempotency-Key, as in the merchant API (the operator\'s keys are its own).',
  basePath: '/admin/v1',
  tags: [
    { name: 'Merchants', description: 'Merchants and their back-office users.' },
    { name: 'Shops', description: 'Any merchant\'s shops, their fees included.' },
    { name: 'Wallets', description: 'Phones\' wallets, top-ups, and the operator\'s fee wallets.' },
    { name: 'Payments', description: 'Refunds on any payment, and the SMS sent.' },
    { name: 'Payouts', description: 'The bank step: pending payouts as CSV, then paid or failed.' },
    { name: 'Limits', description: 'Abuse limits (docs/merchant-guide.md#abuse-limits): what is limited, and lifting a phone.' },
    { name: 'Vouchers', description: 'Prepaid codes: batches, their list, voiding (docs/operator-guide.md#vouchers-and-cash-in).' },
    { name: 'Operators', description: 'The operator console\'s users and their roles (docs/operator-guide.md#operator-console).' },
    { name: 'Ledger', description: 'Proof that the money adds up.' },
    { name: 'Personal data', description: 'Erasure of a phone, and everything kept about it (docs/operator-guide.md#erasure-and-export).' },
  ],
  security: { name: 'adminToken', description: 'Authorization: Bearer <ADMIN_TOKEN>' },
  // requireAdmin: no token, or no ADMIN_TOKEN configured; then any body may be bad, and the database may be away
  errors: ['invalid_request', 'unauthorized', 'admin_disabled', 'not_ready'],
  // every POST goes through the same Idempotency-Key middleware as the merchant API's
  operations: [...merchantOps, ...walletOps, ...walletOfPhoneOps, ...operationOps, ...phoneOps, ...voucherOps, ...consoleOps].map((op) => (op.method === 'post' ? { ...op, idempotent: true } : op)),
};
