import assert from 'node:assert/strict';
import { chargeFor, DEFAULT_FEE_REFUND, feeKeptOf, feeRuleOf, netOf, type FeeRule } from '../../lib/domain/fee.js';
import { AMOUNT, FORMATTED_AMOUNT, formatAmount, isolatedMoney, isolatedMoneyText, parseAmount, parseAmountOrZero } from '../../lib/domain/money.js';
import { refundableLeft, refundAmount, refundWindowOpen } from '../../lib/domain/refund.js';
import { limitOf, LOGIN_WINDOW_MS, windowEnd, windowStart, type LimitName, type LimitSettings } from '../../lib/domain/limits.js';
import { DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS, secondsUntil } from '../../lib/domain/time.js';
import { isPaid, outcomeOf, PAYMENT_STATUSES } from '../../lib/domain/payment.js';
import { lastUsedStaleBefore } from '../../lib/domain/api-key.js';
import { checkShopTakes } from '../../lib/domain/shop-rules.js';
import { AppError } from '../../lib/domain/errors.js';
import { ConfigError, loadConfig } from '../../lib/config.js';

// issue 30: each rule below has one home in lib/domain; these pin what it says
describe('rules with one home (pure, no database)', () => {
  const operator: FeeRule = { percentBp: 250, fixed: 30n, refund: DEFAULT_FEE_REFUND };

  it('takes a shop\'s own fee field by field, else the operator\'s, and keeps the fee on refunds by default', () => {
    assert.equal(DEFAULT_FEE_REFUND, 'keep');
    assert.deepEqual(feeRuleOf({ feePercentBp: null, feeFixed: null, feeRefund: null }, operator), operator);
    assert.deepEqual(feeRuleOf({ feePercentBp: 0, feeFixed: 0n, feeRefund: 'return' }, operator), { percentBp: 0, fixed: 0n, refund: 'return' });
    assert.deepEqual(chargeFor({ feePercentBp: null, feeFixed: null, feeRefund: null }, operator, 1000n), { fee: 55n, feeRefund: 'keep' });
    assert.deepEqual(chargeFor({ feePercentBp: 0, feeFixed: 0n, feeRefund: null }, operator, 1000n), { fee: 0n, feeRefund: 'keep' }, 'a fixed fee of 0 is 0, not a failed parse');
  });

  it('parses the operator\'s default fee once, at boot, and refuses one it cannot read', () => {
    assert.deepEqual(loadConfig({ NODE_ENV: 'test' }).defaultFee, { percentBp: 0, fixed: 0n, refund: 'keep' });
    assert.deepEqual(loadConfig({ NODE_ENV: 'test', DEFAULT_FEE_PERCENT: '2.5', DEFAULT_FEE_FIXED: '0.30' }).defaultFee, { percentBp: 250, fixed: 30n, refund: 'keep' });
    assert.throws(() => loadConfig({ NODE_ENV: 'test', DEFAULT_FEE_FIXED: '00.30' }), (e: Error) => e instanceof ConfigError && /DEFAULT_FEE_FIXED/.test(e.message));
    assert.throws(() => loadConfig({ NODE_ENV: 'test', DEFAULT_FEE_PERCENT: '101' }), (e: Error) => e instanceof ConfigError && /DEFAULT_FEE_PERCENT/.test(e.message));
  });

  it('computes the fee kept and the net once: fees returned by refunds go back to the merchant', () => {
    const p = { amountCaptured: 1000n, fee: 30n, feeReturned: 10n };
    assert.equal(feeKeptOf(p), 20n);
    assert.equal(netOf(p), 980n);
    assert.equal(netOf({ amountCaptured: 0n, fee: 0n, feeReturned: 0n }), 0n);
  });

  it('reads amounts with zero allowed by the same grammar as amounts to pay', () => {
    assert.deepEqual(parseAmountOrZero('0'), { ok: true, minor: 0n });
    assert.deepEqual(parseAmountOrZero('0.30'), { ok: true, minor: 30n });
    for (const bad of ['00.30', '-1', '1.005', '', 0, null]) assert.equal(parseAmountOrZero(bad).ok, false, String(bad));
    assert.equal(parseAmount('0').ok, false, 'an amount to pay is above zero');
    assert.ok(AMOUNT.test('12.5') && !AMOUNT.test('012.5'));
    for (const minor of [0n, 5n, 1208n, -150n]) assert.match(formatAmount(minor), FORMATTED_AMOUNT);
  });

  it('isolates amount and currency as one left-to-right run', () => {
    assert.deepEqual(isolatedMoney(1208n, 'USD'), { amount: '\u206612.08', currency: 'USD\u2069' });
    assert.equal(isolatedMoneyText(1208n, 'USD'), '\u206612.08 USD\u2069');
  });

  it('says what is left to refund: nothing before success, after the window or once refunded in full', () => {
    const paidAt = new Date('2026-01-01T00:00:00Z');
    const p = { status: 'succeeded' as const, amountCaptured: 1000n, amountRefunded: 300n, paidAt, currency: 'USD' };
    const inWindow = new Date(paidAt.getTime() + 30 * DAY_MS);
    const late = new Date(paidAt.getTime() + 30 * DAY_MS + 1);
    assert.equal(refundWindowOpen(p, inWindow, 30), true);
    assert.equal(refundWindowOpen(p, late, 30), false);
    assert.equal(refundableLeft(p, inWindow, 30), 700n);
    assert.equal(refundableLeft(p, late, 30), 0n);
    assert.equal(refundableLeft({ ...p, status: 'authorized' }, inWindow, 30), 0n);
    assert.equal(refundableLeft({ ...p, amountRefunded: 1000n }, inWindow, 30), 0n);
    assert.equal(refundAmount(p, undefined, inWindow, 30), 700n, 'the refund use-case takes the same rest');
    assert.throws(() => refundAmount(p, undefined, late, 30), (e: AppError) => e.code === 'refund_window_closed');
  });

  it('keeps every limit and its window in one table, on the durations of domain/time.ts', () => {
    const settings: LimitSettings = {
      formPaymentsPerClientPerMinute: 1, codesPerClientPerHour: 2, wrongCodesPerClientPerHour: 3, rangeSmsPerHour: 4, smsBudgetPerMinute: 5,
      apiRatePerSecond: 6, signInFailuresPerClient: 7, alertSmsPerPhonePerHour: 8, alertConfirmationsPerDay: 9,
      voucherWrongCodesPerPhonePerDay: 10, voucherWrongCodesPerClientPerHour: 11, exportsPerPhonePerHour: 12,
    };
    const windows: Record<LimitName, number> = {
      form_payments: MINUTE_MS, page_codes: HOUR_MS, page_wrong_codes: HOUR_MS, range_sms: HOUR_MS, sms_budget: MINUTE_MS,
      api_key: SECOND_MS, office_sign_in: LOGIN_WINDOW_MS, alert_sms: HOUR_MS, alert_confirmations: DAY_MS,
      voucher_wrong_phone: DAY_MS, voucher_wrong_address: HOUR_MS, phone_exports: HOUR_MS,
    };
    for (const [name, windowMs] of Object.entries(windows) as [LimitName, number][]) assert.equal(limitOf(settings, name).windowMs, windowMs, name);
    assert.equal(LOGIN_WINDOW_MS, 15 * MINUTE_MS);
    assert.deepEqual(limitOf(settings, 'api_key'), { name: 'api_key', max: 6, windowMs: SECOND_MS });
    const now = new Date('2026-01-01T00:00:42.500Z');
    const start = windowStart(now, MINUTE_MS);
    assert.equal(secondsUntil(windowEnd(start, MINUTE_MS), now), 18, 'Retry-After: the rest of the window, rounded up');
  });

  it('calls a payment paid when it succeeded or is authorized', () => {
    assert.deepEqual(PAYMENT_STATUSES.filter(isPaid), ['authorized', 'succeeded']);
    for (const s of PAYMENT_STATUSES) assert.equal(outcomeOf(s) === 'success', isPaid(s), s);
  });

  it('writes an API key\'s "last used" at most once a minute', () => {
    const now = new Date('2026-01-01T00:01:00Z');
    assert.equal(lastUsedStaleBefore(now).toISOString(), '2026-01-01T00:00:00.000Z');
  });

  it('refuses a disabled shop once: 409 shop_disabled to the API, a 400 naming the purse to a form', () => {
    const shop = { status: 'disabled' as const, methods: ['code' as const] };
    assert.throws(() => checkShopTakes(shop, { send: 'code', capture: 'automatic', source: 'api' }), (e: AppError) => e.code === 'shop_disabled' && e.status === 409);
    assert.throws(() => checkShopTakes(shop, { send: 'code', capture: 'automatic', source: 'form' }),
      (e: AppError) => e.code === 'invalid_request' && e.status === 400 && JSON.stringify(e.extra).includes('LMI_PAYEE_PURSE'));
    assert.doesNotThrow(() => checkShopTakes({ ...shop, status: 'active' }, { send: 'code', capture: 'automatic', source: 'form' }));
  });
});
