import assert from 'node:assert/strict';
import { useTestApp } from '../helpers/test-app.js';
import { createTestMerchant, api, type TestMerchant } from '../helpers/merchant.js';
import { assertLedgerClean, payNow, walletBalance } from '../helpers/payments.js';
import { query } from '../../lib/postgres/db.js';
import { feePurse, feeShardOf } from '../../lib/domain/wallet.js';
import { PERCENT } from '../../lib/domain/fee.js';

/** docs/merchant-guide.md#fees: the fee is charged in the same ledger transfer that pays the merchant, and returned in part under "return". */
describe('fees', () => {
  const t = useTestApp({ config: { defaultFeePercent: '1' } });
  const shopOf = async (merchant: TestMerchant) => (await t.admin('get', `/admin/v1/merchants/${merchant.id}`)).body.shop_id as string;

  it('charges a shop\'s 3 % in the same transfer that pays the merchant, and shows fee and net', async () => {
    const merchant = await createTestMerchant(t);
    await t.admin('patch', `/admin/v1/shops/${await shopOf(merchant)}`).send({ fee: { percent: '3.00', fixed: '0.00', refund: 'keep' } }).expect(200);
    const { payment, buyer } = await payNow(t, merchant, '10.00');
    assert.deepEqual([payment.fee, payment.net], ['0.30', '9.70']);
    assert.equal(await walletBalance(t, merchant.purse), '9.70');
    assert.equal(await walletBalance(t, buyer.purse), '90.00');
    const postings = await query<{ purse: string; amount: bigint }>(t.database.db, 'select purse, amount from postings where transfer_id = ? order by amount', [BigInt(payment.transaction_no)]);
    assert.deepEqual(postings.map((p) => p.amount), [-1000n, 30n, 970n], 'one transfer: payer, fee wallet, merchant');
    assert.equal(postings.find((p) => p.amount === 30n)!.purse, feePurse('USD', 'live', feeShardOf(payment.id)), 'the fee wallet\'s account of this payment');
    await assertLedgerClean(t);
  });

  it('spreads fees over the fee wallet\'s accounts and shows the operator one fee wallet per currency and mode, all of it', async () => {
    const before = await feeWalletsShown();
    const merchant = await createTestMerchant(t);
    await t.admin('patch', `/admin/v1/shops/${await shopOf(merchant)}`).send({ fee: { percent: '3.00' } }).expect(200);
    const paid = [];
    for (let i = 0; i < 12; i++) paid.push((await payNow(t, merchant, `${i + 1}.00`)).payment);
    const charged = paid.reduce((sum, p) => sum + toMinor(p.fee), 0n);
    const accounts = await query<{ purse: string }>(t.database.db,
      `select distinct po.purse from postings po join payments p on p.transfer_id = po.transfer_id join wallets w on w.purse = po.purse
       where p.id = any(?) and w.kind = 'fees'`, [paid.map((p) => p.id)]);
    assert.ok(accounts.length > 1, `12 payments' fees land in more than one account (${accounts.length})`);
    const after = await feeWalletsShown();
    assert.equal(after.length, before.length, 'one entry per currency and mode, however many accounts');
    const usd = after.find((w) => w.currency === 'USD' && w.mode === 'live')!;
    const usdBefore = before.find((w) => w.currency === 'USD' && w.mode === 'live')!;
    assert.equal(usd.purse, feePurse('USD', 'live'));
    assert.equal(toMinor(usd.balance) - toMinor(usdBefore.balance), charged);
    await assertLedgerClean(t);
  });

  it('returns a fee from the account that took it, whichever that was', async () => {
    const merchant = await createTestMerchant(t);
    await t.admin('patch', `/admin/v1/shops/${await shopOf(merchant)}`).send({ fee: { percent: '10', refund: 'return' } }).expect(200);
    const { payment } = await payNow(t, merchant, '10.00');
    const charge = await feePostingOf(BigInt(payment.transaction_no));
    // a payment paid before the fee wallet had several accounts: its fee sits in the wallet's own purse,
    // not in the account its id points at now (for the one id in eight that points there, another one)
    const elsewhere = feePurse('USD', 'live', feeShardOf(payment.id) === 0 ? 1 : 0);
    await moveFee(BigInt(payment.transaction_no), charge.purse, elsewhere, charge.amount);
    const refund = await api(t, merchant).post(`/payments/${payment.id}/refunds`, { amount: '5.00' }).expect(201);
    const returned = await query<{ purse: string; amount: bigint }>(t.database.db,
      `select po.purse, po.amount from postings po join wallets w on w.purse = po.purse where po.transfer_id = ? and w.kind = 'fees'`, [BigInt(refund.body.transaction_no)]);
    assert.deepEqual(returned, [{ purse: elsewhere, amount: -50n }]);
    await assertLedgerClean(t);
  });

  // "0.30" → 30n: decimal strings from the API, exactly
  const toMinor = (amount: string): bigint => BigInt(amount.replace('.', ''));

  async function feeWalletsShown(): Promise<{ currency: string; mode: string; purse: string; balance: string }[]> {
    return (await t.admin('get', '/admin/v1/fees').expect(200)).body.data;
  }

  async function feePostingOf(transferId: bigint): Promise<{ purse: string; amount: bigint }> {
    const [row] = await query<{ purse: string; amount: bigint }>(t.database.db,
      `select po.purse, po.amount from postings po join wallets w on w.purse = po.purse where po.transfer_id = ? and w.kind = 'fees'`, [transferId]);
    return row!;
  }

  /**
   * Rewrites history as it was before migration 20261201220000: the payment's fee posting moves to
   * the wallet's own purse. Postings are append-only (a trigger refuses changes), so the test lifts
   * that guard inside one transaction, as an operator restoring an old backup would not need to.
   */
  async function moveFee(transferId: bigint, from: string, to: string, amount: bigint): Promise<void> {
    await t.database.db.transaction(async (trx) => {
      await trx.raw('alter table postings disable trigger postings_append_only');
      await trx.raw(`update postings set purse = ? where transfer_id = ? and purse = ?`, [to, String(transferId), from]);
      await trx.raw(`update postings set balance_after = r.expected from (select id, sum(amount) over (partition by purse order by id) as expected from postings where purse in (?, ?)) r where r.id = postings.id`, [from, to]);
      await trx.raw(`update wallets set balance = balance - ? where purse = ?`, [String(amount), from]);
      await trx.raw(`update wallets set balance = balance + ? where purse = ?`, [String(amount), to]);
      await trx.raw('alter table postings enable trigger postings_append_only');
    });
  }

  it('follows the operator\'s default when the shop has no fee of its own', async () => {
    const merchant = await createTestMerchant(t);
    const { payment } = await payNow(t, merchant, '20.00');
    assert.deepEqual([payment.fee, payment.net], ['0.20', '19.80']);
  });

  it('charges at capture, on the captured amount, for manual capture', async () => {
    const merchant = await createTestMerchant(t, { capture: 'manual' });
    await t.admin('patch', `/admin/v1/shops/${await shopOf(merchant)}`).send({ fee: { percent: '3', fixed: '0.10' } }).expect(200);
    const { payment } = await payNow(t, merchant, '10.00');
    assert.deepEqual([payment.status, payment.fee], ['authorized', '0.00']);
    const captured = await api(t, merchant).post(`/payments/${payment.id}/capture`, { amount: '5.00' }).expect(200);
    assert.deepEqual([captured.body.fee, captured.body.net], ['0.25', '4.75']);
    assert.equal(await walletBalance(t, merchant.purse), '4.75');
  });

  it('returns the refund\'s share of the fee under "return" (the last refund the rest), keeps it under "keep"', async () => {
    const merchant = await createTestMerchant(t);
    const shopId = await shopOf(merchant);
    await t.admin('patch', `/admin/v1/shops/${shopId}`).send({ fee: { percent: '3', refund: 'return' } }).expect(200);
    const { payment, buyer } = await payNow(t, merchant, '10.00');
    // the policy in force when paid applies to its refunds, whatever the shop says later
    await t.admin('patch', `/admin/v1/shops/${shopId}`).send({ fee: { percent: '3', refund: 'keep' } }).expect(200);
    await api(t, merchant).post(`/payments/${payment.id}/refunds`, { amount: '3.33' }).expect(201);
    assert.equal(await walletBalance(t, merchant.purse), '6.47', '9.70 − 3.33 + 0.10 returned');
    let shown = (await api(t, merchant).get(`/payments/${payment.id}`)).body;
    assert.deepEqual([shown.fee, shown.net], ['0.20', '9.80']);
    await api(t, merchant).post(`/payments/${payment.id}/refunds`, {}).expect(201);
    assert.equal(await walletBalance(t, merchant.purse), '0.00');
    assert.equal(await walletBalance(t, buyer.purse), '100.00');
    shown = (await api(t, merchant).get(`/payments/${payment.id}`)).body;
    assert.deepEqual([shown.fee, shown.net, shown.amount_refunded], ['0.00', '10.00', '10.00']);

    const kept = await payNow(t, merchant, '10.00');
    await api(t, merchant).post(`/payments/${kept.payment.id}/refunds`, { amount: '5.00' }).expect(201);
    assert.equal(await walletBalance(t, merchant.purse), '4.70', 'under keep the refund is taken in full and the fee stays');
    await assertLedgerClean(t);
  });

  it('returns the fee cumulatively: 30 refunds of 0.17 give back what one refund of 5.10 would, and the last the rest', async () => {
    const merchant = await createTestMerchant(t);
    await t.admin('patch', `/admin/v1/shops/${await shopOf(merchant)}`).send({ fee: { percent: '3', refund: 'return' } }).expect(200);
    const { payment, buyer } = await payNow(t, merchant, '10.00');
    for (let i = 0; i < 30; i++) await api(t, merchant).post(`/payments/${payment.id}/refunds`, { amount: '0.17' }).expect(201);
    let shown = (await api(t, merchant).get(`/payments/${payment.id}`)).body;
    // round half up(0.30 × 5.10 / 10.00) = 0.15 returned, per-refund rounding gave 30 × 0.01 = all of it
    assert.deepEqual([shown.amount_refunded, shown.fee, shown.net], ['5.10', '0.15', '9.85']);
    assert.equal(await walletBalance(t, merchant.purse), '4.75');
    await api(t, merchant).post(`/payments/${payment.id}/refunds`, {}).expect(201);
    shown = (await api(t, merchant).get(`/payments/${payment.id}`)).body;
    assert.deepEqual([shown.amount_refunded, shown.fee], ['10.00', '0.00']);
    assert.equal(await walletBalance(t, merchant.purse), '0.00');
    assert.equal(await walletBalance(t, buyer.purse), '100.00');
    await assertLedgerClean(t);
  });

  it('documents the fee percent with the pattern the server checks', async () => {
    const doc = (await t.http.get('/docs/admin/openapi.json').expect(200)).body;
    const patterns: string[] = [];
    const walk = (node: unknown) => {
      if (!node || typeof node !== 'object') return;
      const props = (node as { properties?: Record<string, { pattern?: string }> }).properties;
      if (props?.percent?.pattern) patterns.push(props.percent.pattern);
      for (const value of Object.values(node)) walk(value);
    };
    walk(doc);
    assert.ok(patterns.length > 0, 'a fee percent in the operator document carries a pattern');
    assert.ok(patterns.every((p) => p === PERCENT.source), JSON.stringify(patterns));
  });

  it('refuses a fee percent of 101 or -1 (400 naming the field), lets only the operator set it, and resets to the default with null', async () => {
    const merchant = await createTestMerchant(t);
    const shopId = await shopOf(merchant);
    for (const percent of ['101', '-1', '3.001', 'three', '007.5']) {
      const bad = await t.admin('patch', `/admin/v1/shops/${shopId}`).send({ fee: { percent } }).expect(400);
      assert.equal(bad.body.errors[0].field, 'fee.percent', JSON.stringify(bad.body));
    }
    assert.equal((await api(t, merchant).patch(`/shops/${shopId}`, { fee: { percent: '0' } }).expect(403)).body.errors[0].field, 'fee');
    const set = await t.admin('patch', `/admin/v1/shops/${shopId}`).send({ fee: { percent: '2.5', fixed: '0.30', refund: 'return' } }).expect(200);
    assert.deepEqual(set.body.fee, { percent: '2.50', fixed: '0.30', refund: 'return' });
    const reset = await t.admin('patch', `/admin/v1/shops/${shopId}`).send({ fee: null }).expect(200);
    assert.equal(reset.body.fee, null);
  });

  it('the ledger check fails when fees and the fee wallet disagree', async () => {
    const merchant = await createTestMerchant(t);
    const { payment } = await payNow(t, merchant, '10.00');
    await assertLedgerClean(t);
    await query(t.database.db, 'update payments set fee = fee + 1 where id = ?', [payment.id]);
    const check = (await t.admin('get', '/admin/v1/ledger/check')).body;
    assert.equal(check.ok, false);
    assert.equal(check.problems.feeMismatches.length, 1);
    await query(t.database.db, 'update payments set fee = fee - 1 where id = ?', [payment.id]);
  });
});
