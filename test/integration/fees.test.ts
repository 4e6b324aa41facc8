import assert from 'node:assert/strict';
import { useTestApp } from '../helpers/test-app.js';
import { createTestMerchant, createBuyer, lastCode, api, type TestMerchant } from '../helpers/merchant.js';
import { query } from '../../lib/store/db.js';

/** Spec §10: the fee is charged in the same ledger transfer that pays the merchant, and returned in part under "return". */
describe('fees', () => {
  const t = useTestApp({ config: { defaultFeePercent: '1' } });
  const balanceOf = async (purse: string) => (await t.admin('get', `/admin/v1/wallets/${purse}`)).body.balance as string;
  const shopOf = async (merchant: TestMerchant) => (await t.admin('get', `/admin/v1/merchants/${merchant.id}`)).body.shop_id as string;

  async function pay(merchant: TestMerchant, amount: string, extra: Record<string, unknown> = {}) {
    const buyer = await createBuyer(t, '100.00');
    const client = api(t, merchant);
    const p = await client.post('/payments', { payee_purse: merchant.purse, amount, phone: buyer.phone, ...extra }).expect(201);
    const paid = await client.post(`/payments/${p.body.id}/confirm`, { code: lastCode(t, buyer.phone) }).expect(200);
    return { payment: paid.body, buyer };
  }

  it('charges a shop\'s 3 % in the same transfer that pays the merchant, and shows fee and net', async () => {
    const merchant = await createTestMerchant(t);
    await t.admin('patch', `/admin/v1/shops/${await shopOf(merchant)}`).send({ fee: { percent: '3.00', fixed: '0.00', refund: 'keep' } }).expect(200);
    const { payment, buyer } = await pay(merchant, '10.00');
    assert.deepEqual([payment.fee, payment.net], ['0.30', '9.70']);
    assert.equal(await balanceOf(merchant.purse), '9.70');
    assert.equal(await balanceOf(buyer.purse), '90.00');
    const postings = await query<{ purse: string; amount: bigint }>(t.database.db, 'select purse, amount from postings where transfer_id = ? order by amount', [BigInt(payment.transaction_no)]);
    assert.deepEqual(postings.map((p) => p.amount), [-1000n, 30n, 970n], 'one transfer: payer, fee wallet, merchant');
    const fees = await t.admin('get', '/admin/v1/fees?currency=USD&mode=live').expect(200);
    assert.equal(fees.body.data.length, 1);
    assert.equal(fees.body.data[0].purse, postings.find((p) => p.amount === 30n)!.purse);
    assert.equal((await t.admin('get', '/admin/v1/ledger/check')).body.ok, true);
  });

  it('follows the operator\'s default when the shop has no fee of its own', async () => {
    const merchant = await createTestMerchant(t);
    const { payment } = await pay(merchant, '20.00');
    assert.deepEqual([payment.fee, payment.net], ['0.20', '19.80']);
  });

  it('charges at capture, on the captured amount, for manual capture', async () => {
    const merchant = await createTestMerchant(t, { capture: 'manual' });
    await t.admin('patch', `/admin/v1/shops/${await shopOf(merchant)}`).send({ fee: { percent: '3', fixed: '0.10' } }).expect(200);
    const { payment } = await pay(merchant, '10.00');
    assert.deepEqual([payment.status, payment.fee], ['authorized', '0.00']);
    const captured = await api(t, merchant).post(`/payments/${payment.id}/capture`, { amount: '5.00' }).expect(200);
    assert.deepEqual([captured.body.fee, captured.body.net], ['0.25', '4.75']);
    assert.equal(await balanceOf(merchant.purse), '4.75');
  });

  it('returns the refund\'s share of the fee under "return" (the last refund the rest), keeps it under "keep"', async () => {
    const merchant = await createTestMerchant(t);
    const shopId = await shopOf(merchant);
    await t.admin('patch', `/admin/v1/shops/${shopId}`).send({ fee: { percent: '3', refund: 'return' } }).expect(200);
    const { payment, buyer } = await pay(merchant, '10.00');
    // the policy in force when paid applies to its refunds, whatever the shop says later
    await t.admin('patch', `/admin/v1/shops/${shopId}`).send({ fee: { percent: '3', refund: 'keep' } }).expect(200);
    await api(t, merchant).post(`/payments/${payment.id}/refunds`, { amount: '3.33' }).expect(201);
    assert.equal(await balanceOf(merchant.purse), '6.47', '9.70 − 3.33 + 0.10 returned');
    let shown = (await api(t, merchant).get(`/payments/${payment.id}`)).body;
    assert.deepEqual([shown.fee, shown.net], ['0.20', '9.80']);
    await api(t, merchant).post(`/payments/${payment.id}/refunds`, {}).expect(201);
    assert.equal(await balanceOf(merchant.purse), '0.00');
    assert.equal(await balanceOf(buyer.purse), '100.00');
    shown = (await api(t, merchant).get(`/payments/${payment.id}`)).body;
    assert.deepEqual([shown.fee, shown.net, shown.amount_refunded], ['0.00', '10.00', '10.00']);

    const kept = await pay(merchant, '10.00');
    await api(t, merchant).post(`/payments/${kept.payment.id}/refunds`, { amount: '5.00' }).expect(201);
    assert.equal(await balanceOf(merchant.purse), '4.70', 'under keep the refund is taken in full and the fee stays');
    assert.equal((await t.admin('get', '/admin/v1/ledger/check')).body.ok, true);
  });

  it('refuses a fee percent of 101 or -1 (400 naming the field), lets only the operator set it, and resets to the default with null', async () => {
    const merchant = await createTestMerchant(t);
    const shopId = await shopOf(merchant);
    for (const percent of ['101', '-1', '3.001', 'three']) {
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
    const { payment } = await pay(merchant, '10.00');
    assert.equal((await t.admin('get', '/admin/v1/ledger/check')).body.ok, true);
    await query(t.database.db, 'update payments set fee = fee + 1 where id = ?', [payment.id]);
    const check = (await t.admin('get', '/admin/v1/ledger/check')).body;
    assert.equal(check.ok, false);
    assert.equal(check.problems.feeMismatches.length, 1);
    await query(t.database.db, 'update payments set fee = fee - 1 where id = ?', [payment.id]);
  });
});
