/**
 * Example objects of the reference. The documentation test parses each with the schema it
 * illustrates, and `redocly lint` checks them again, so an example cannot show a field that is gone.
 */
const T0 = '2026-12-01T10:00:00.000Z';
const T1 = '2026-12-01T10:01:12.000Z';
const TX = '2026-12-01T10:15:00.000Z';
const BASE = 'https://pay.telepurse.dev';

export const PAYMENT_ID = 'pay_8k2m4q6s8u0w2y4a6c8e0g2j';
export const SHOP_ID = 'shp_3b5d7f9h1k3m5p7r9t1v3x5z';
export const MERCHANT_ID = 'mch_2k4m6p8r0t2v4x6z8b0d2f4h';
export const PURSE = 'Z100000000012';
export const PAYER_PURSE = 'Z200000000034';

export const payment = {
  id: PAYMENT_ID,
  object: 'payment',
  shop_id: SHOP_ID,
  invoice_no: 310,
  transaction_no: 1187,
  status: 'succeeded',
  amount: '12.08',
  currency: 'USD',
  amount_captured: '12.08',
  amount_refunded: '0.00',
  fee: '0.36',
  net: '11.72',
  phone: '+79031234567',
  email: 'buyer@example.com',
  payment_no: 1042,
  payee_purse: PURSE,
  payer_purse: PAYER_PURSE,
  description: 'Order 1042',
  capture: 'automatic',
  mode: 'live',
  pay_url: `${BASE}/pay/${PAYMENT_ID}`,
  link_url: null,
  created_at: T0,
  expires_at: TX,
  paid_at: T1,
  failure_reason: null,
  metadata: { order_ref: 'A-1042' },
};

export const openPayment = {
  ...payment, status: 'code_sent', transaction_no: null, amount_captured: '0.00', fee: '0.00', net: '0.00', payer_purse: null, paid_at: null,
};

export const paymentWithCode = { ...openPayment, code_expires_at: '2026-12-01T10:05:00.000Z', codes_left: 4 };

export const list = <T>(item: T, more = false) => ({ data: [item], has_more: more, next_cursor: more ? 'eyJpZCI6MzEwfQ' : null });

export const refund = {
  id: 'rfd_5c7e9g1j3l5n7q9s1u3w5y7a',
  object: 'refund',
  payment_id: PAYMENT_ID,
  status: 'succeeded',
  amount: '2.00',
  currency: 'USD',
  phone: '+79031234567',
  purse: PAYER_PURSE,
  transaction_no: 1190,
  created_at: '2026-12-01T11:00:00.000Z',
};

export const sms = {
  id: 'sms_7e9g1j3l5n7q9s1u3w5y7a9c',
  object: 'sms',
  payment_id: PAYMENT_ID,
  kind: 'code',
  channel: 'sms',
  phone: '+79031234567',
  text: 'Code **** to pay 12.08 USD to Test Shop. Do not tell it to anyone.',
  lang: 'en',
  status: 'delivered',
  gateway: 'smpp',
  gateway_message_id: '7f3a9c',
  error: null,
  created_at: T0,
  updated_at: T0,
};

export const attempt = { at: T1, http_status: 200, latency_ms: 48, error: null };

export const notification = {
  id: 'ntf_9g1j3l5n7q9s1u3w5y7a9c1e',
  object: 'notification',
  kind: 'result',
  event_type: null,
  payment_id: PAYMENT_ID,
  url: 'https://shop.example.net/telepurse/result',
  status: 'delivered',
  attempts: [attempt],
  attempt_count: 1,
  next_attempt_at: null,
  created_at: T1,
  delivered_at: T1,
  content_type: 'application/x-www-form-urlencoded',
  body: 'LMI_MODE=0&LMI_PAYEE_PURSE=Z100000000012&LMI_PAYMENT_AMOUNT=12.08',
};

export const apiKey = {
  id: 'key_1j3l5n7q9s1u3w5y7a9c1e3g',
  object: 'api_key',
  name: 'checkout server',
  prefix: 'tp_live_4f',
  mode: 'live',
  created_at: T0,
  last_used_at: T1,
  revoked_at: null,
};

export const shop = {
  id: SHOP_ID,
  object: 'shop',
  merchant_id: MERCHANT_ID,
  name: 'Test Shop',
  status: 'active',
  methods: ['code', 'link'],
  lang: 'en',
  purse: PURSE,
  purses: [{ purse: PURSE, currency: 'USD' }],
  result_url: 'https://shop.example.net/telepurse/result',
  success_url: 'https://shop.example.net/thanks',
  fail_url: 'https://shop.example.net/sorry',
  webhook_url: null,
  allowed_hosts: [],
  hash_method: 'sha256',
  prerequest: false,
  require_signed_forms: false,
  allow_form_urls: false,
  success_method: 'GET',
  fail_method: 'GET',
  capture: 'automatic',
  fee: null,
  alerts: {
    emails: ['owner@shop.example.net'], phones: [], events: ['payment.succeeded', 'notification.dead'],
    recipients: [{ to: 'owner@shop.example.net', kind: 'email', state: 'confirmed' }],
  },
  receipt: { channel: 'sms' },
  brand: { logo: null, color: '#ff6f00', button_color: '#bb5200', support_email: 'help@shop.example.net', support_phone: '+493012345678', terms_url: 'https://shop.example.net/terms' },
  webhook_secret_rotated_at: null,
  created_at: T0,
};

export const wallet = {
  purse: PURSE,
  holder_id: 'hld_0t2v4x6z8b0d2f4h6k8m0p2r',
  currency: 'USD',
  kind: 'merchant',
  mode: 'live',
  phone: null,
  balance: '1250.00',
  held: '0.00',
  available: '1250.00',
  created_at: T0,
};

export const balance = { purse: PURSE, currency: 'USD', shop_id: SHOP_ID, balance: '1250.00', held: '0.00', pending: '310.40', payable: '939.60' };

export const balanceTransaction = {
  id: 'txn_4m6p8r0t2v4x6z8b0d2f4h6k',
  object: 'balance_transaction',
  type: 'payment',
  purse: PURSE,
  currency: 'USD',
  amount: '12.08',
  fee: '0.36',
  net: '11.72',
  source: PAYMENT_ID,
  created_at: T1,
  available_on: '2026-12-03T00:00:00.000Z',
  payout_id: null,
};

export const payout = {
  id: 'po_6p8r0t2v4x6z8b0d2f4h6k8m',
  object: 'payout',
  status: 'pending',
  purse: PURSE,
  shop_id: SHOP_ID,
  amount: '939.60',
  currency: 'USD',
  trigger: 'request',
  period: null,
  payout_account: 'DE89 3704 0044 0532 0130 00',
  reference: null,
  failure_reason: null,
  transaction_no: 1201,
  created_at: '2026-12-07T06:00:00.000Z',
  paid_at: null,
  failed_at: null,
};

export const testSms = {
  id: 'sms_7e9g1j3l5n7q9s1u3w5y7a9c',
  payment_id: PAYMENT_ID,
  kind: 'code',
  text: 'Code 4821 to pay 12.08 USD to Test Shop. Do not tell it to anyone.',
  code: '4821',
  status: 'sent',
  created_at: T0,
};

export const merchant = {
  id: MERCHANT_ID,
  name: 'Test Shop',
  mode: 'live',
  status: 'active',
  holder_id: 'hld_0t2v4x6z8b0d2f4h6k8m0p2r',
  purse: PURSE,
  purses: [PURSE],
  payout_schedule: 'weekly',
  payout_minimum: '10.00',
  payout_delay_days: 2,
  payout_account: 'DE89 3704 0044 0532 0130 00',
  shop_id: SHOP_ID,
  hash_method: 'sha256',
  result_url: 'https://shop.example.net/telepurse/result',
  success_url: 'https://shop.example.net/thanks',
  fail_url: 'https://shop.example.net/sorry',
  webhook_url: null,
  allowed_hosts: [],
  success_method: 'GET',
  fail_method: 'GET',
  prerequest: false,
  require_signed_forms: false,
  allow_form_urls: false,
  capture: 'automatic',
  created_at: T0,
};

/** A problem of each status, for the error responses. */
export function problem(status: number, code: string, title: string, detail: string, extra: Record<string, unknown> = {}) {
  return { type: `/docs#problem-${code}`, title, status, code, detail, request_id: '0b5c2f0e-6a3e-4c1a-9a55-2f7b8c1d9e10', ...extra };
}

export const alertLogEntry = {
  id: '42',
  object: 'alert_log_entry',
  at: T0,
  what: 'alert_dropped',
  kind: 'phone',
  to: '+4915123456789',
  event_type: 'payment.succeeded',
  reason: 'rate_limited:range_sms',
  notification_id: 'ntf_4m7q2x9c0v3b6n8k1z5w2r4t',
};
