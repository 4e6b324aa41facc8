import assert from 'node:assert/strict';
import { useTestApp } from '../helpers/test-app.js';
import { createTestMerchant, createBuyer, lastCode, api, type TestMerchant } from '../helpers/merchant.js';
import { HostedPage } from '../helpers/hosted-page.js';
import { query } from '../../lib/postgres/db.js';
import { officeUser, onceOf } from '../helpers/office.js';
import { assertLedgerClean } from '../helpers/payments.js';
import { rememberCode, rememberSecret } from '../helpers/log-capture.js';
import { DEMO_MERCHANT_ID, seedDemo, seedDemoTestKey } from '../../lib/use-cases/operators/seed-demo.js';

/** docs/merchant-guide.md#test-mode: every live merchant has test purses and makes its own tp_test_ keys in the office. */
describe('test mode for every merchant', () => {
  const t = useTestApp({ config: { limits: { rangeSmsPerHour: 30, smsBudgetPerMinute: 600 } } });
  let live: TestMerchant;
  let test: TestMerchant;
  let paymentId: string;
  let owner: Awaited<ReturnType<typeof officeUser>>;

  before(async () => {
    live = await createTestMerchant(t, { mode: 'live' });
    owner = await officeUser(t, live, 'owner');
    const shopId = (await api(t, live).get('/shops').expect(200)).body.data[0].id as string;
    const page = await owner.agent.get(`/office/shops/${shopId}`).expect(200);
    assert.match(page.text, /data-test-purses>Z\d{12} USD</);
    const made = await owner.agent.post('/office/keys').type('form')
      .send({ _csrf: owner.csrf, _once: onceOf(page.text, '/office/keys'), name: 'integration', mode: 'test' }).expect(200);
    const key = /data-shown-once>(tp_test_[0-9A-Za-z]{32})</.exec(made.text)?.[1];
    assert.ok(key, 'the office shows the new test key once');
    rememberSecret(key);
    test = { ...live, apiKey: key, mode: 'test' };
  });

  it('a test key of a live merchant pays a test payment into the test purse, from a test phone', async () => {
    const shops = (await api(t, test).get('/shops').expect(200)).body.data;
    const testPurse = shops[0].purse as string;
    assert.notEqual(testPurse, live.purse);
    assert.deepEqual(shops[0].purses.map((p: { purse: string }) => p.purse), [testPurse], 'a test key sees the test purses only');
    const refused = await api(t, test).post('/payments', { payee_purse: live.purse, amount: '5.00', phone: '+12025550101' }).expect(400);
    assert.equal(refused.body.code, 'invalid_request', 'a test key cannot pay into a live purse');

    const p = (await api(t, test).post('/payments', { payee_purse: testPurse, amount: '12.08', phone: '+1 202 555 0101' }).expect(201)).body;
    assert.equal(p.status, 'code_sent');
    const code = (await api(t, test).get('/test/sms?phone=%2B12025550101').expect(200)).body.data[0].code as string;
    rememberCode(code);
    const paid = (await api(t, test).post(`/payments/${p.id}/confirm`, { code }).expect(200)).body;
    assert.equal(paid.status, 'succeeded');
    assert.equal(paid.mode, 'test');
    paymentId = p.id;
    await assertLedgerClean(t, 'test money moved between test wallets only');
  });

  it('the test payment is seen with the test key and not with the live key', async () => {
    await api(t, test).get(`/payments/${paymentId}`).expect(200);
    assert.deepEqual((await api(t, test).get('/payments').expect(200)).body.data.map((p: { id: string }) => p.id), [paymentId]);
    assert.equal((await api(t, live).get(`/payments/${paymentId}`).expect(404)).body.code, 'payment_not_found');
    assert.deepEqual((await api(t, live).get('/payments').expect(200)).body.data, []);
    assert.equal((await api(t, live).post(`/payments/${paymentId}/refunds`, {}).expect(404)).body.code, 'payment_not_found');
    await api(t, live).get('/test/sms?phone=%2B12025550101').expect(403);
  });

  it('GET /shops and /balance show the purses of the key\'s mode only', async () => {
    const liveShop = (await api(t, live).get('/shops').expect(200)).body.data[0];
    assert.equal(liveShop.purse, live.purse);
    assert.deepEqual(liveShop.purses.map((p: { purse: string }) => p.purse), [live.purse]);
    const testPurse = (await api(t, test).get('/shops').expect(200)).body.data[0].purse as string;
    const liveBalance = (await api(t, live).get('/balance').expect(200)).body.data;
    assert.deepEqual(liveBalance.map((b: { purse: string; balance: string }) => [b.purse, b.balance]), [[live.purse, '0.00']]);
    const testBalance = (await api(t, test).get('/balance').expect(200)).body.data;
    assert.deepEqual(testBalance.map((b: { purse: string; balance: string }) => [b.purse, b.balance]), [[testPurse, '12.08']]);
    await api(t, live).get(`/wallets/${testPurse}`).expect(404);
    await api(t, test).get(`/wallets/${testPurse}`).expect(200);
  });

  it('the office shows test data under ?mode=test only, with the banner; the CSV follows', async () => {
    const livePage = await owner.agent.get('/office/payments').expect(200);
    assert.doesNotMatch(livePage.text, new RegExp(`data-payment-id="${paymentId}"`));
    assert.doesNotMatch(livePage.text, /data-mode="test"/);
    assert.match(livePage.text, /href="\/office\/payments\?mode=test" data-mode-switch="test"/);
    const testPage = await owner.agent.get('/office/payments?mode=test').expect(200);
    assert.match(testPage.text, new RegExp(`data-payment-id="${paymentId}"`));
    assert.match(testPage.text, /role="status" data-mode="test"/);
    assert.match(testPage.text, /data-live="\/office\/events\?mode=test"/);
    assert.match(testPage.text, /<input type="hidden" name="mode" value="test">/, 'the filters stay in test mode');
    assert.match((await owner.agent.get('/office/payments.csv?mode=test').expect(200)).text, new RegExp(paymentId));
    assert.doesNotMatch((await owner.agent.get('/office/payments.csv').expect(200)).text, new RegExp(paymentId));
    assert.match((await owner.agent.get('/office/balance?mode=test').expect(200)).text, /12\.08/);
    assert.match((await owner.agent.get(`/office/payments/${paymentId}`).expect(200)).text, /data-mode="test"/);
  });

  it('a test key changes nothing the live side uses, and keeps its own Idempotency-Keys', async () => {
    const shopId = (await api(t, test).get('/shops').expect(200)).body.data[0].id as string;
    assert.equal((await api(t, test).patch(`/shops/${shopId}`, { result_url: 'http://127.0.0.1:9/other' }).expect(403)).body.code, 'forbidden');
    await api(t, test).post(`/shops/${shopId}/secret_key`).expect(403);
    const liveKeyId = (await api(t, live).get('/api_keys').expect(200)).body.data.find((k: { mode: string }) => k.mode === 'live').id as string;
    await t.http.delete(`/api/v1/api_keys/${liveKeyId}`).set('Authorization', `Bearer ${test.apiKey}`).expect(404);
    // the live key is the last live one: a test key does not stand in for it
    assert.equal((await t.http.delete(`/api/v1/api_keys/${liveKeyId}`).set('Authorization', `Bearer ${live.apiKey}`).expect(409)).body.code, 'last_api_key');
    const testPurse = (await api(t, test).get('/shops').expect(200)).body.data[0].purse as string;
    const same = { 'Idempotency-Key': 'order-77' };
    const made = (await api(t, live).post('/payments', { payee_purse: live.purse, amount: '3.00' }, same).expect(201)).body;
    const other = (await api(t, test).post('/payments', { payee_purse: testPurse, amount: '3.00' }, same).expect(201)).body;
    assert.notEqual(other.id, made.id);
    assert.equal(other.mode, 'test');
    assert.equal((await api(t, test).get('/balance_transactions').expect(200)).body.data.length, 1);
    assert.equal((await api(t, live).get('/balance_transactions').expect(200)).body.data.length, 0);
  });

  it('a new shop (API) gets a live and a test purse; a test merchant stays test only', async () => {
    const created = (await api(t, live).post('/shops', { name: 'Second', currency: 'EUR' }).expect(201)).body;
    rememberSecret(created.secret_key);
    rememberSecret(created.webhook_secret);
    const seenByTest = (await api(t, test).get(`/shops/${created.id}`).expect(200)).body;
    assert.match(created.purse, /^E\d{12}$/);
    assert.match(seenByTest.purse, /^E\d{12}$/);
    assert.notEqual(created.purse, seenByTest.purse);
    const old = await createTestMerchant(t, { mode: 'test' });
    assert.match(old.apiKey, /^tp_test_/);
    assert.equal((await api(t, old).get('/shops').expect(200)).body.data[0].purse, old.purse);
    assert.equal((await api(t, old).post('/api_keys', { name: 'more' }).expect(201)).body.key.slice(0, 8), 'tp_test_');
  });

  it('a form naming a live merchant\'s test purse is a test payment, LMI_SIM_MODE included', async () => {
    const shops: { purse: string }[] = (await api(t, test).get('/shops').expect(200)).body.data;
    const testPurse = shops.map((v) => v.purse).find((p) => p.startsWith('Z'))!;
    const buyer = await createBuyer(t, '10.00', { mode: 'test' });
    const outcome = async (purse: string, simMode: string) => {
      const page = await HostedPage.fromForm(t, { LMI_PAYEE_PURSE: purse, LMI_PAYMENT_AMOUNT: '1', LMI_SIM_MODE: simMode });
      await page.submit('phone', { phone: buyer.phone });
      await page.submit('code', { code: lastCode(t, buyer.phone) });
      const [row] = await query<{ mode: string; status: string; failure_reason: string | null }>(t.database.db, 'select mode, status, failure_reason from payments where id = ?', [page.paymentId]);
      return `${row!.mode}/${row!.status}/${row!.failure_reason}`;
    };
    assert.equal(await outcome(testPurse, '1'), 'test/failed/simulated');
    assert.equal(await outcome(testPurse, '0'), 'test/succeeded/null');
    await assertLedgerClean(t, 'the form moved test money only');
  });

  it('the demo merchant\'s test key, printed at start, works; the next start replaces it', async () => {
    await seedDemo(t.app.deps);
    const first = await seedDemoTestKey(t.app.deps);
    const second = await seedDemoTestKey(t.app.deps);
    rememberSecret(first);
    rememberSecret(second);
    assert.match(second, /^tp_test_[0-9A-Za-z]{32}$/);
    const demo: TestMerchant = { ...live, id: DEMO_MERCHANT_ID as TestMerchant['id'], apiKey: second, mode: 'test' };
    const shops = (await api(t, demo).get('/shops').expect(200)).body.data;
    assert.equal(shops[0].merchant_id, DEMO_MERCHANT_ID);
    await api(t, { ...demo, apiKey: first }).get('/shops').expect(401);
  });
});
