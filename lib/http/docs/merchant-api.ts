import { attemptsQuery, captureBody, confirmBody, createApiKeyBody, createPaymentBody, emptyBody, idParam, listPaymentsQuery, notificationIdParam, apiKeyIdParam, phoneBody, refundBody, testSmsQuery } from '../../schemas/payments.js';
import { addShopWalletBody, alertLogQuery, createShopBody, shopIdParam, updateShopBody } from '../../schemas/admin.js';
import { createPayoutBody, listBalanceTransactionsQuery, listPayoutsQuery, payoutIdParam } from '../../schemas/payouts.js';
import { purseParam } from '../../schemas/common.js';
import * as o from '../../schemas/objects.js';
import { STATEMENT_COLUMNS } from '../../presenters/balance.js';
import * as ex from './examples.js';
import type { ApiDescription, Operation } from './operation.js';

const payment = { id: idParam.meta({ description: 'The payment id', example: ex.PAYMENT_ID }) };
const shop = { id: shopIdParam.meta({ description: 'The shop id', example: ex.SHOP_ID }) };
const payout = { id: payoutIdParam.meta({ description: 'The payout id', example: ex.payout.id }) };

const paymentOps: Operation[] = [
  {
    method: 'post', path: '/payments', tag: 'Payments', summary: 'Create a payment',
    description: 'Creates a payment for one of your purses. Without `phone` the buyer types it on `pay_url` (or you call `/phone` later); with `phone` the code SMS (or, with `send: "link"`, a message with a pay link: by SMS, or by WhatsApp with `channel: "whatsapp"` where the operator configured it) goes out at once. The same `payment_no` while a payment of it is open answers that payment (200) instead of a new one.',
    body: createPaymentBody,
    bodyExample: { payee_purse: ex.PURSE, amount: '12.08', payment_no: 1042, description: 'Order 1042', phone: '+7 903 123-45-67', metadata: { order_ref: 'A-1042' } },
    answer: { status: 201, description: 'The payment (200 when an open payment of this payment_no is answered again)', schema: o.paymentObject, example: ex.openPayment },
    errors: ['already_paid', 'payment_no_conflict', 'payment_in_progress', 'no_wallet', 'wallet_frozen', 'wallet_not_found', 'shop_disabled', 'method_not_enabled', 'country_not_allowed', 'channel_not_configured', 'rate_limited', 'sms_send_failed', 'idempotency_key_reused', 'idempotency_key_in_flight'],
    idempotent: true,
  },
  {
    method: 'get', path: '/payments', tag: 'Payments', summary: 'List payments',
    description: 'Newest first, by pages of `limit`; filter by status, phone, order number, shop and creation time (a date means midnight UTC; `created_to` is exclusive).',
    query: listPaymentsQuery,
    answer: { status: 200, description: 'A page of payments', schema: o.paymentList, example: ex.list(ex.payment, true) },
    errors: [],
  },
  {
    method: 'get', path: '/payments/:id', tag: 'Payments', summary: 'Get a payment', description: 'One of your payments, as it is now.', params: payment,
    answer: { status: 200, description: 'The payment', schema: o.paymentObject, example: ex.payment }, errors: ['payment_not_found'],
  },
  {
    method: 'post', path: '/payments/:id/phone', tag: 'Payments', summary: 'Set the phone and send a code',
    description: 'Sets (or changes, while no code was typed) the buyer\'s phone and sends a 4-digit code by SMS. The answer says when the code dies and how many more may be sent.',
    params: payment, body: phoneBody, bodyExample: { phone: '+7 903 123-45-67' },
    answer: { status: 200, description: 'The payment, with the code\'s deadline', schema: o.paymentWithCodeObject, example: ex.paymentWithCode },
    errors: ['payment_not_found', 'no_wallet', 'wallet_frozen', 'rate_limited', 'too_many_attempts', 'invalid_state', 'sms_send_failed', 'country_not_allowed'],
    idempotent: true,
  },
  {
    method: 'post', path: '/payments/:id/resend', tag: 'Payments', summary: 'Send a new code',
    description: 'Sends a new code; the old one dies. Refused with `rate_limited` and `retry_after` within the resend cooldown.',
    params: payment, body: emptyBody, bodyExample: {},
    answer: { status: 200, description: 'The payment, with the new code\'s deadline', schema: o.paymentWithCodeObject, example: ex.paymentWithCode },
    errors: ['payment_not_found', 'wallet_frozen', 'rate_limited', 'too_many_attempts', 'invalid_state', 'sms_send_failed'], idempotent: true,
  },
  {
    method: 'post', path: '/payments/:id/confirm', tag: 'Payments', summary: 'Confirm with the code',
    description: 'The buyer\'s code pays the payment (or, with `capture: "manual"`, authorizes it). A wrong code answers `code_invalid` with `tries_left`; the last wrong try fails the payment.',
    params: payment, body: confirmBody, bodyExample: { code: '4821' },
    answer: { status: 200, description: 'The paid (or authorized) payment', schema: o.paymentObject, example: ex.payment },
    errors: ['payment_not_found', 'code_invalid', 'code_expired', 'too_many_attempts', 'insufficient_funds', 'wallet_frozen', 'invalid_state', 'rate_limited'], idempotent: true,
  },
  {
    method: 'post', path: '/payments/:id/cancel', tag: 'Payments', summary: 'Cancel an open payment', description: 'The payment fails with `failure_reason: "cancelled"`.',
    params: payment, body: emptyBody, bodyExample: {},
    answer: { status: 200, description: 'The cancelled payment', schema: o.paymentObject, example: { ...ex.openPayment, status: 'failed', failure_reason: 'cancelled' } },
    errors: ['payment_not_found', 'invalid_state'], idempotent: true,
  },
];

const captureOps: Operation[] = [
  {
    method: 'post', path: '/payments/:id/capture', tag: 'Payments', summary: 'Capture an authorized payment',
    description: 'Takes all or part of the held money (`capture: "manual"` payments); the rest of the hold is released.',
    params: payment, body: captureBody, bodyExample: { amount: '10.00' },
    answer: { status: 200, description: 'The captured payment', schema: o.paymentObject, example: { ...ex.payment, capture: 'manual', amount_captured: '10.00', fee: '0.30', net: '9.70' } },
    errors: ['payment_not_found', 'invalid_state'], idempotent: true,
  },
  {
    method: 'post', path: '/payments/:id/void', tag: 'Payments', summary: 'Release a hold', description: 'The authorized money goes back to the buyer\'s available balance; the payment is `voided`.',
    params: payment, body: emptyBody, bodyExample: {},
    answer: { status: 200, description: 'The voided payment', schema: o.paymentObject, example: { ...ex.payment, capture: 'manual', status: 'voided', amount_captured: '0.00', fee: '0.00', net: '0.00', transaction_no: null, paid_at: null } },
    errors: ['payment_not_found', 'invalid_state'], idempotent: true,
  },
];

const refundOps: Operation[] = [
  {
    method: 'post', path: '/payments/:id/refunds', tag: 'Refunds', summary: 'Refund a payment',
    description: 'Sends all or part of a succeeded payment back to the payer\'s phone (or another phone\'s wallet of the same currency), within the refund window. Never more than is left.',
    params: payment, body: refundBody, bodyExample: { amount: '2.00' },
    answer: { status: 201, description: 'The refund', schema: o.refundObject, example: ex.refund },
    errors: ['payment_not_found', 'refund_exceeds_payment', 'refund_window_closed', 'insufficient_funds', 'no_wallet', 'invalid_state', 'idempotency_key_reused'], idempotent: true,
  },
  {
    method: 'get', path: '/payments/:id/refunds', tag: 'Refunds', summary: 'Refunds of a payment', description: 'Newest first, all of them.', params: payment,
    answer: { status: 200, description: 'The refunds', schema: o.refundList, example: ex.list(ex.refund) }, errors: ['payment_not_found'],
  },
];

const notificationOps: Operation[] = [
  {
    method: 'get', path: '/payments/:id/messages', tag: 'Notifications', summary: 'Messages of a payment', description: 'Every message sent for the payment (SMS and WhatsApp: `channel`), codes and pay-link tokens blanked out, with its status (`read` is WhatsApp\'s last).', params: payment,
    answer: { status: 200, description: 'The messages', schema: o.smsList, example: ex.list(ex.sms) }, errors: ['payment_not_found'],
  },
  {
    method: 'get', path: '/payments/:id/notifications', tag: 'Notifications', summary: 'Notifications of a payment', description: 'Result notifications, webhooks and pre-requests of the payment, with their latest delivery attempts.', params: payment,
    answer: { status: 200, description: 'The notifications', schema: o.notificationList, example: ex.list(ex.notification) }, errors: ['payment_not_found'],
  },
  {
    method: 'get', path: '/notifications/:id/attempts', tag: 'Notifications', summary: 'Delivery attempts', description: 'Every delivery attempt of a notification, newest first, by pages.',
    params: { id: notificationIdParam.meta({ example: ex.notification.id }) }, query: attemptsQuery,
    answer: { status: 200, description: 'A page of attempts', schema: o.attemptList, example: ex.list(ex.attempt) }, errors: ['notification_not_found'],
  },
  {
    method: 'post', path: '/notifications/:id/redeliver', tag: 'Notifications', summary: 'Deliver a notification again',
    description: 'Queues one more delivery of a delivered or dead notification (at most MAX_REDELIVERIES times); the receiver must treat it as the same event.',
    params: { id: notificationIdParam.meta({ example: ex.notification.id }) }, body: emptyBody, bodyExample: {},
    answer: { status: 202, description: 'The notification, pending again', schema: o.notificationObject, example: { ...ex.notification, status: 'pending', attempts: [], next_attempt_at: ex.notification.created_at, delivered_at: null } },
    errors: ['notification_not_found', 'redelivery_limit_reached'], idempotent: true,
  },
];

const keyOps: Operation[] = [
  {
    method: 'get', path: '/api_keys', tag: 'API keys', summary: 'List API keys', description: 'Prefix, name, creation, last use and revocation of each key; never the keys themselves.',
    answer: { status: 200, description: 'Your keys', schema: o.apiKeyList, example: ex.list(ex.apiKey) }, errors: [],
  },
  {
    method: 'post', path: '/api_keys', tag: 'API keys', summary: 'Create an API key', description: 'The key is in this answer only (an Idempotency-Key replay shows it as null). Rotate by creating a new key, deploying it, then revoking the old one.',
    body: createApiKeyBody, bodyExample: { name: 'checkout server' },
    answer: { status: 201, description: 'The new key', schema: o.createdApiKeyObject, example: { ...ex.apiKey, last_used_at: null, key: 'tp_live_4f…' } }, errors: ['idempotency_key_reused'], idempotent: true,
  },
  {
    method: 'delete', path: '/api_keys/:id', tag: 'API keys', summary: 'Revoke an API key', description: 'At once. The last active key of the account\'s mode cannot be revoked; a test key revokes test keys only.',
    params: { id: apiKeyIdParam.meta({ example: ex.apiKey.id }) },
    answer: { status: 204, description: 'Revoked' }, errors: ['api_key_not_found', 'last_api_key'],
  },
];

const shopOps: Operation[] = [
  { method: 'get', path: '/shops', tag: 'Shops', summary: 'List shops', description: 'Your shops with their settings and the purses of your key\'s mode (a tp_test_ key sees the test purses), never their secrets.', answer: { status: 200, description: 'Your shops', schema: o.shopList, example: ex.list(ex.shop) }, errors: [] },
  {
    method: 'post', path: '/shops', tag: 'Shops', summary: 'Add a shop', description: 'A shop with its own purse, secret key, webhook secret and settings. The two secrets are in this answer only.',
    body: createShopBody, bodyExample: { name: 'Second Shop', currency: 'USD', result_url: 'https://shop.example.net/telepurse/result', methods: ['code'] },
    answer: { status: 201, description: 'The shop, with its secrets', schema: o.createdShopObject, example: { ...ex.shop, secret_key: 'sk_…', webhook_secret: 'whsec_…' } }, errors: ['idempotency_key_reused', 'forbidden', 'country_not_allowed', 'logo_invalid'], idempotent: true,
  },
  { method: 'get', path: '/shops/:id', tag: 'Shops', summary: 'Get a shop', description: 'One of your shops.', params: shop, answer: { status: 200, description: 'The shop', schema: o.shopObject, example: ex.shop }, errors: ['shop_not_found'] },
  {
    method: 'patch', path: '/shops/:id', tag: 'Shops', summary: 'Change a shop',
    description: 'Status, methods, URLs, language, alerts and the other settings. Secrets and the fee are not yours to change here (403). '
      + 'Each e-mail or phone new in alerts gets one confirmation message (a link valid 72 hours) and no alert until it clicks it (alerts.recipients shows pending or confirmed); '
      + 'saving the same list sends nothing again, a pending recipient whose link expired gets a new one. A phone outside SMS_COUNTRIES is refused (422). '
      + 'brand sets what the buyer sees: a logo (PNG or SVG ≤ 100 KB as a data URL; anything else is refused with 422 logo_invalid and nothing changes), the button colour, support contact and terms URL.',
    params: shop, body: updateShopBody, bodyExample: { status: 'active', methods: ['code', 'link', 'manual_capture'], alerts: { emails: ['owner@shop.example.net'], phones: [], events: ['payment.succeeded'] } },
    answer: { status: 200, description: 'The shop as changed', schema: o.shopObject, example: ex.shop }, errors: ['shop_not_found', 'forbidden', 'country_not_allowed', 'logo_invalid'],
  },
  {
    method: 'get', path: '/shops/:id/alert_log', tag: 'Shops', summary: 'The alert log',
    description: 'Newest first: confirmation links sent, refused by a limit or not taken by the gateway, recipients that confirmed, and alerts dropped by a limit of SMS_COUNTRIES, per phone, per number range or of the whole service (a dropped alert is never retried).',
    params: shop, query: alertLogQuery, answer: { status: 200, description: 'A page of the log', schema: o.alertLogList, example: ex.list(ex.alertLogEntry) }, errors: ['shop_not_found'],
  },
  {
    method: 'post', path: '/shops/:id/wallets', tag: 'Shops', summary: 'Add a purse in another currency', description: 'One purse per currency and shop.',
    params: shop, body: addShopWalletBody, bodyExample: { currency: 'EUR' },
    answer: { status: 201, description: 'The shop with its new purse', schema: o.shopObject, example: { ...ex.shop, purses: [...ex.shop.purses, { purse: 'E100000000045', currency: 'EUR' }] } }, errors: ['shop_not_found', 'forbidden', 'wallet_exists'], idempotent: true,
  },
  {
    method: 'post', path: '/shops/:id/secret_key', tag: 'Shops', summary: 'Rotate the secret key', description: 'A new secret key for LMI_HASH; the old one stops at once. The new key is in this answer only.',
    params: shop, answer: { status: 200, description: 'The shop and its new secret key', schema: o.rotatedSecretObject, example: { ...ex.shop, secret_key: 'sk_…' } }, errors: ['shop_not_found', 'forbidden'], idempotent: true,
  },
  {
    method: 'post', path: '/shops/:id/webhook_secret', tag: 'Shops', summary: 'Rotate the webhook secret', description: 'For 24 hours webhooks carry signatures with both the old and the new secret (Standard Webhooks allows several). The new secret is in this answer only.',
    params: shop, answer: { status: 200, description: 'The shop and its new webhook secret', schema: o.rotatedSecretObject, example: { ...ex.shop, webhook_secret: 'whsec_…', webhook_secret_rotated_at: '2026-12-01T12:00:00.000Z' } }, errors: ['shop_not_found', 'forbidden'], idempotent: true,
  },
];

const moneyOps: Operation[] = [
  {
    method: 'get', path: '/wallets/:purse', tag: 'Balance and payouts', summary: 'Get a wallet', description: 'Balance, held and available money of one of your purses.',
    params: { purse: purseParam.meta({ example: ex.PURSE }) }, answer: { status: 200, description: 'The wallet', schema: o.walletObject, example: ex.wallet }, errors: ['wallet_not_found'],
  },
  { method: 'get', path: '/balance', tag: 'Balance and payouts', summary: 'Your balance', description: 'Each purse of your key\'s mode (a tp_test_ key: the test purses): balance, held, pending (not available yet) and payable money.', answer: { status: 200, description: 'One entry per purse', schema: o.balanceList, example: { data: [ex.balance] } }, errors: [] },
  {
    method: 'get', path: '/balance_transactions', tag: 'Balance and payouts', summary: 'Balance transactions', description: 'Every movement of your purses, newest first; `payout=` lists what one payout settled.',
    query: listBalanceTransactionsQuery, answer: { status: 200, description: 'A page of transactions', schema: o.balanceTransactionList, example: ex.list(ex.balanceTransaction, true) }, errors: ['payout_not_found'],
  },
  {
    method: 'post', path: '/payouts', tag: 'Balance and payouts', summary: 'Pay out now', description: 'Pays out all payable money of a purse at once (payout_minimum applies to scheduled runs only).',
    body: createPayoutBody, bodyExample: { purse: ex.PURSE }, answer: { status: 201, description: 'The payout', schema: o.payoutObject, example: ex.payout }, errors: ['wallet_not_found', 'nothing_payable', 'idempotency_key_reused'], idempotent: true,
  },
  { method: 'get', path: '/payouts', tag: 'Balance and payouts', summary: 'List payouts', description: 'Newest first, by pages.', query: listPayoutsQuery, answer: { status: 200, description: 'A page of payouts', schema: o.payoutList, example: ex.list(ex.payout) }, errors: [] },
  { method: 'get', path: '/payouts/:id', tag: 'Balance and payouts', summary: 'Get a payout', description: 'One of your payouts.', params: payout, answer: { status: 200, description: 'The payout', schema: o.payoutObject, example: ex.payout }, errors: ['payout_not_found'] },
  {
    method: 'get', path: '/payouts/:id/transactions.csv', tag: 'Balance and payouts', summary: 'Statement of a payout (CSV)', description: 'The transactions a payout settled, one per line; the `net` column sums to the payout\'s amount.',
    params: payout, answer: { status: 200, description: 'The statement', csv: STATEMENT_COLUMNS }, errors: ['payout_not_found'],
  },
  {
    method: 'get', path: '/test/sms', tag: 'Test mode', summary: 'Read the SMS of a test phone', description: 'Test keys only: the SMS (codes included) your test payments sent to a phone, newest first, so your integration tests pay end to end. The test phones of the guide always exist.',
    query: testSmsQuery, answer: { status: 200, description: 'The messages', schema: o.testSmsList, example: { data: [ex.testSms] } }, errors: ['forbidden'],
  },
];

export const MERCHANT_API: ApiDescription = {
  title: 'telepurse merchant API',
  description: 'Payments from a buyer\'s phone number: create a payment, the buyer gets a 4-digit code by SMS, confirm it, and the money moves. '
    + 'Amounts are decimal strings in the currency\'s units (`"12.08"`). Errors are RFC 9457 problem+json with a stable `code` and, for bad input, the fields at fault. '
    + 'Every POST accepts `Idempotency-Key`: the same key and body answer the same result, for 24 hours. Lists are paged with `limit` and `cursor`. Guides: /docs.',
  basePath: '/api/v1',
  tags: [
    { name: 'Payments', description: 'Create a payment, send the code, confirm it; capture or void a hold.' },
    { name: 'Refunds', description: 'Money back to a phone, all or part, within the refund window.' },
    { name: 'Notifications', description: 'What was sent about a payment: SMS, Result notifications, webhooks, and their delivery attempts.' },
    { name: 'API keys', description: 'Your keys: create, list, revoke.' },
    { name: 'Shops', description: 'Several shops per merchant, each with its purses, secrets, methods and alerts.' },
    { name: 'Balance and payouts', description: 'What your purses hold, every movement, and payouts with their statements.' },
    { name: 'Test mode', description: 'tp_test_ keys move test money only and can read the codes their SMS carried.' },
  ],
  security: { name: 'apiKey', description: 'Authorization: Bearer tp_live_… (or tp_test_… in test mode)' },
  // requireApiKey: no key, a suspended merchant, API_RATE_PER_SECOND per key (docs/merchant-guide.md#abuse-limits); then any body may be bad, and the database may be away
  errors: ['invalid_request', 'unauthorized', 'merchant_suspended', 'rate_limited', 'not_ready'],
  operations: [...paymentOps, ...captureOps, ...refundOps, ...notificationOps, ...keyOps, ...shopOps, ...moneyOps],
};
