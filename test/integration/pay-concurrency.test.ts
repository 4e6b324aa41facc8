import assert from 'node:assert/strict';
import { useTestApp } from '../helpers/test-app.js';
import { createTestMerchant, createBuyer, lastCode, api } from '../helpers/merchant.js';
import { assertLedgerClean, walletBalance } from '../helpers/payments.js';
import { query } from '../../lib/postgres/db.js';

describe('pay flow under concurrency', () => {
  const t = useTestApp({ config: { codes: { maxCodesPerPhonePerHour: 100 } } });

  it('50 concurrent confirms with the right code: exactly one debit, the others get the paid payment or a clear conflict', async () => {
    const merchant = await createTestMerchant(t);
    const buyer = await createBuyer(t, '100.00');
    const client = api(t, merchant);
    const p = await client.post('/payments', { payee_purse: merchant.purse, amount: '9.99', phone: buyer.phone }).expect(201);
    const code = lastCode(t, buyer.phone);
    const results = await Promise.all(Array.from({ length: 50 }, () => client.post(`/payments/${p.body.id}/confirm`, { code })));
    for (const r of results) {
      assert.ok(r.status === 200 || r.status === 409, `${r.status} ${JSON.stringify(r.body)}`);
      if (r.status === 200) assert.equal(r.body.status, 'succeeded');
      else assert.equal(r.body.code, 'invalid_state');
    }
    const [debits] = await query<{ n: number }>(t.database.db, `select count(*)::int as n from postings where purse = ? and amount < 0`, [buyer.purse]);
    assert.equal(debits!.n, 1);
    assert.equal(await walletBalance(t, buyer.purse), '90.01');
    await assertLedgerClean(t);
  });

  it('a wallet with 10.00 and 30 payments of 1.00 confirmed at once: exactly 10 succeed', async () => {
    const merchant = await createTestMerchant(t);
    const buyer = await createBuyer(t, '10.00');
    const client = api(t, merchant);
    const pending: { id: string; code: string }[] = [];
    for (let i = 0; i < 30; i++) {
      const p = await client.post('/payments', { payee_purse: merchant.purse, amount: '1.00', phone: buyer.phone }).expect(201);
      pending.push({ id: p.body.id, code: lastCode(t, buyer.phone) });
    }
    const results = await Promise.all(pending.map(({ id, code }) => client.post(`/payments/${id}/confirm`, { code })));
    const ok = results.filter((r) => r.status === 200);
    const poor = results.filter((r) => r.status === 409 && r.body.code === 'insufficient_funds');
    assert.equal(ok.length, 10);
    assert.equal(poor.length, 20);
    assert.equal(await walletBalance(t, buyer.purse), '0.00');
    assert.equal(await walletBalance(t, merchant.purse), '10.00');
    const [failed] = await query<{ n: number }>(t.database.db, `select count(*)::int as n from payments where merchant_id = ? and failure_reason = 'insufficient_funds'`, [merchant.id]);
    assert.equal(failed!.n, 20);
    await assertLedgerClean(t);
  });

  it('two buyers paying the same order number at once: one payment, the other resumes or is refused', async () => {
    const merchant = await createTestMerchant(t);
    const client = api(t, merchant);
    const results = await Promise.all(Array.from({ length: 10 }, () => client.post('/payments', { payee_purse: merchant.purse, amount: '5', payment_no: 4242 })));
    assert.ok(results.every((r) => r.status === 201 || r.status === 200));
    assert.equal(new Set(results.map((r) => r.body.id)).size, 1);
  });
});
