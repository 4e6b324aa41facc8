import assert from 'node:assert/strict';
import { useTestApp } from '../helpers/test-app.js';
import { createTestMerchant, api, type TestMerchant } from '../helpers/merchant.js';
import { assertLedgerClean } from '../helpers/payments.js';
import { rememberCode } from '../helpers/log-capture.js';

/** docs/merchant-guide.md#the-json-api test mode without the operator: documented test phones, used with nothing but a tp_test_ key. */
describe('test phones', () => {
  const t = useTestApp({ config: { limits: { rangeSmsPerHour: 30, smsBudgetPerMinute: 600 } } });

  async function codeFor(m: TestMerchant, phone: string): Promise<string | undefined> {
    const sms = (await api(t, m).get(`/test/sms?phone=${encodeURIComponent(phone)}`).expect(200)).body.data;
    const code = sms[0]?.code as string | undefined;
    if (code) rememberCode(code);
    return code;
  }

  it('+1 202 555 0101 always pays, as often as an integration test suite needs, with only the test key', async () => {
    const merchant = await createTestMerchant(t, { mode: 'test' });
    assert.match(merchant.apiKey, /^tp_test_/);
    for (let i = 0; i < 8; i++) {
      const p = (await api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount: '25.00', phone: '+1 202 555 0101' }).expect(201)).body;
      assert.equal(p.status, 'code_sent');
      const paid = await api(t, merchant).post(`/payments/${p.id}/confirm`, { code: await codeFor(merchant, "+12025550101") });
      assert.equal(paid.status, 200, JSON.stringify(paid.body));
      assert.equal(paid.body.status, 'succeeded');
    }
    const other = await createTestMerchant(t, { mode: 'test' });
    const p = (await api(t, other).post('/payments', { payee_purse: other.purse, amount: '999.00', phone: '+12025550101' }).expect(201)).body;
    const big = await api(t, other).post(`/payments/${p.id}/confirm`, { code: await codeFor(other, '+12025550101') });
    assert.equal(big.status, 200, JSON.stringify(big.body));
    await assertLedgerClean(t, 'the money came from the test issuance account');
  });

  it('+1 202 555 0102 has no money, +1 202 555 0103 never gets its SMS, +1 202 555 0104 has no wallet', async () => {
    const merchant = await createTestMerchant(t, { mode: 'test' });
    const poor = (await api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount: '1.00', phone: '+12025550102' }).expect(201)).body;
    const refused = await api(t, merchant).post(`/payments/${poor.id}/confirm`, { code: await codeFor(merchant, '+12025550102') }).expect(409);
    assert.equal(refused.body.code, 'insufficient_funds');
    assert.equal((await api(t, merchant).get(`/payments/${poor.id}`)).body.status, 'failed');

    const lost = (await api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount: '1.00', phone: '+12025550103' }).expect(201)).body;
    assert.equal(lost.status, 'code_sent');
    assert.equal(await codeFor(merchant, '+12025550103'), undefined, 'no SMS to read');

    const none = await api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount: '1.00', phone: '+12025550104' }).expect(409);
    assert.equal(none.body.code, 'no_wallet');
  });

  it('are ordinary numbers in live mode', async () => {
    const live = await createTestMerchant(t);
    const res = await api(t, live).post('/payments', { payee_purse: live.purse, amount: '1.00', phone: '+12025550101' }).expect(409);
    assert.equal(res.body.code, 'no_wallet');
  });
});
