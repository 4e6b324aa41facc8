import assert from 'node:assert/strict';
import { capturedLogLines } from '../helpers/log-capture.js';
import { useTestApp } from '../helpers/test-app.js';
import { createTestMerchant, createBuyer, lastCode, api } from '../helpers/merchant.js';
import { payNow, walletBalance } from '../helpers/payments.js';
import { query } from '../../lib/postgres/db.js';

describe('payments JSON API', () => {
  const t = useTestApp();

  it('creates without a phone, takes the phone, confirms; get shows the paid payment', async () => {
    const merchant = await createTestMerchant(t);
    const buyer = await createBuyer(t, '30.00');
    const client = api(t, merchant);
    const created = await client.post('/payments', { payee_purse: merchant.purse, amount: '10', description: 'Order 1', metadata: { cart: 'c-1' } }).expect(201);
    assert.equal(created.body.status, 'created');
    assert.equal(created.body.pay_url, `http://pay.test/pay/${created.body.id}`);
    assert.deepEqual(created.body.metadata, { cart: 'c-1' });
    const withPhone = await client.post(`/payments/${created.body.id}/phone`, { phone: `+${buyer.phone}` }).expect(200);
    assert.equal(withPhone.body.status, 'code_sent');
    assert.equal(withPhone.body.codes_left, 2);
    const paid = await client.post(`/payments/${created.body.id}/confirm`, { code: lastCode(t, buyer.phone) }).expect(200);
    assert.equal(paid.body.status, 'succeeded');
    assert.equal(paid.body.amount_captured, '10.00');
    assert.equal(paid.body.payer_purse, buyer.purse);
    assert.equal(typeof paid.body.transaction_no, 'number');
    const got = await client.get(`/payments/${created.body.id}`).expect(200);
    assert.deepEqual(got.body, paid.body);
  });

  it('shows a merchant only its own payments and wallets', async () => {
    const mine = await createTestMerchant(t);
    const theirs = await createTestMerchant(t);
    const created = await api(t, mine).post('/payments', { payee_purse: mine.purse, amount: '1' }).expect(201);
    await api(t, theirs).get(`/payments/${created.body.id}`).expect(404);
    await api(t, theirs).post(`/payments/${created.body.id}/cancel`).expect(404);
    await api(t, theirs).get(`/wallets/${mine.purse}`).expect(404);
    await api(t, theirs).post('/payments', { payee_purse: mine.purse, amount: '1' }).expect(400);
    const list = await api(t, theirs).get('/payments').expect(200);
    assert.ok(!list.body.data.some((p: { id: string }) => p.id === created.body.id));
    const wallet = await api(t, mine).get(`/wallets/${mine.purse}`).expect(200);
    assert.equal(wallet.body.purse, mine.purse);
  });

  it('refuses missing, malformed and revoked-looking API keys', async () => {
    await t.http.get('/api/v1/payments').expect(401);
    await t.http.get('/api/v1/payments').set('Authorization', 'Bearer tp_live_short').expect(401);
    const res = await t.http.get('/api/v1/payments').set('Authorization', `Bearer tp_live_${'A'.repeat(32)}`).expect(401);
    assert.equal(res.body.code, 'unauthorized');
    assert.equal(res.headers['www-authenticate'], 'Bearer');
  });

  it('lists newest first with filters and cursor pagination', async () => {
    const merchant = await createTestMerchant(t);
    const client = api(t, merchant);
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await client.post('/payments', { payee_purse: merchant.purse, amount: `${i + 1}`, payment_no: 100 + i }).expect(201)).body.id);
    await client.post(`/payments/${ids[2]}/cancel`).expect(200);
    const page1 = await client.get('/payments?limit=3').expect(200);
    assert.deepEqual(page1.body.data.map((p: { id: string }) => p.id), [ids[6], ids[5], ids[4]]);
    assert.equal(page1.body.has_more, true);
    const page2 = await client.get(`/payments?limit=3&cursor=${page1.body.next_cursor}`).expect(200);
    assert.deepEqual(page2.body.data.map((p: { id: string }) => p.id), [ids[3], ids[2], ids[1]]);
    const page3 = await client.get(`/payments?limit=3&cursor=${page2.body.next_cursor}`).expect(200);
    assert.deepEqual(page3.body.data.map((p: { id: string }) => p.id), [ids[0]]);
    assert.equal(page3.body.has_more, false);
    assert.equal(page3.body.next_cursor, null);
    const failed = await client.get('/payments?status=failed').expect(200);
    assert.deepEqual(failed.body.data.map((p: { id: string }) => p.id), [ids[2]]);
    const byNo = await client.get('/payments?payment_no=104').expect(200);
    assert.deepEqual(byNo.body.data.map((p: { id: string }) => p.id), [ids[4]]);
    const none = await client.get(`/payments?created_from=${encodeURIComponent('2030-01-01T00:00:00Z')}`).expect(200);
    assert.deepEqual(none.body.data, []);
    // a day is enough: a date means midnight UTC (the test clock is 2026-11-23)
    assert.deepEqual((await client.get('/payments?created_from=2030-01-01').expect(200)).body.data, []);
    const all = (await client.get('/payments?limit=100').expect(200)).body.data.length;
    assert.equal((await client.get('/payments?limit=100&created_from=2026-11-23&created_to=2026-11-24').expect(200)).body.data.length, all);
    assert.deepEqual((await client.get('/payments?created_to=2026-11-23').expect(200)).body.data, [], 'created_to is exclusive: midnight of that day');
    const notADate = await client.get('/payments?created_from=23.11.2026').expect(400);
    assert.equal(notADate.body.errors[0].field, 'created_from');
    assert.match(notADate.body.errors[0].message, /date \(2026-12-01\) or a date-time/);
    const bad = await client.get('/payments?limit=500').expect(400);
    assert.equal(bad.body.errors[0].field, 'limit');
    await client.get('/payments?cursor=bm9wZQ').expect(400);
  });

  it('filters by phone', async () => {
    const merchant = await createTestMerchant(t);
    const buyer = await createBuyer(t);
    const client = api(t, merchant);
    const p = await client.post('/payments', { payee_purse: merchant.purse, amount: '1', phone: `+${buyer.phone}` }).expect(201);
    await client.post('/payments', { payee_purse: merchant.purse, amount: '2' }).expect(201);
    const found = await client.get(`/payments?phone=${encodeURIComponent(`+${buyer.phone}`)}`).expect(200);
    assert.deepEqual(found.body.data.map((x: { id: string }) => x.id), [p.body.id]);
  });

  it('cancels an open payment (twice is the same answer) and refuses to cancel a paid one', async () => {
    const merchant = await createTestMerchant(t);
    const client = api(t, merchant);
    const open = await client.post('/payments', { payee_purse: merchant.purse, amount: '1' }).expect(201);
    const cancelled = await client.post(`/payments/${open.body.id}/cancel`).expect(200);
    assert.deepEqual([cancelled.body.status, cancelled.body.failure_reason], ['failed', 'cancelled']);
    await client.post(`/payments/${open.body.id}/cancel`).expect(200);
    const { payment: paid } = await payNow(t, merchant, '1');
    const refused = await client.post(`/payments/${paid.id}/cancel`).expect(409);
    assert.equal(refused.body.code, 'invalid_state');
  });

  it('answers insufficient_funds and fails the payment when the wallet cannot pay', async () => {
    const merchant = await createTestMerchant(t);
    const buyer = await createBuyer(t, '0.99');
    const client = api(t, merchant);
    const p = await client.post('/payments', { payee_purse: merchant.purse, amount: '1', phone: buyer.phone }).expect(201);
    const res = await client.post(`/payments/${p.body.id}/confirm`, { code: lastCode(t, buyer.phone) }).expect(409);
    assert.equal(res.body.code, 'insufficient_funds');
    const after = await client.get(`/payments/${p.body.id}`).expect(200);
    assert.deepEqual([after.body.status, after.body.failure_reason], ['failed', 'insufficient_funds']);
    assert.equal(await walletBalance(t, buyer.purse), '0.99');
    const [transfers] = await query<{ n: number }>(t.database.db, `select count(*)::int as n from transfers where key = ?`, [`payment:${p.body.id}`]);
    assert.equal(transfers!.n, 0);
  });

  describe('Idempotency-Key', () => {
    it('replays the first answer for the same request, refuses another request with 422, and creates once', async () => {
      const merchant = await createTestMerchant(t);
      const client = api(t, merchant);
      const body = { payee_purse: merchant.purse, amount: '3.00' };
      const first = await client.post('/payments', body, { 'Idempotency-Key': 'order-55' }).expect(201);
      const replay = await client.post('/payments', body, { 'Idempotency-Key': 'order-55' }).expect(201);
      assert.equal(replay.headers['idempotent-replayed'], 'true');
      assert.deepEqual(replay.body, first.body);
      const other = await client.post('/payments', { ...body, amount: '4.00' }, { 'Idempotency-Key': 'order-55' }).expect(422);
      assert.equal(other.body.code, 'idempotency_key_reused');
      const [count] = await query<{ n: number }>(t.database.db, 'select count(*)::int as n from payments where merchant_id = ?', [merchant.id]);
      assert.equal(count!.n, 1);
    });

    it('gives concurrent requests with the same key one payment: the others replay it or get 409 while it runs', async () => {
      const merchant = await createTestMerchant(t);
      const client = api(t, merchant);
      const body = { payee_purse: merchant.purse, amount: '2.00' };
      const results = await Promise.all(Array.from({ length: 10 }, () => client.post('/payments', body, { 'Idempotency-Key': 'burst' })));
      const statuses = results.map((r) => r.status);
      assert.ok(statuses.every((s) => s === 201 || s === 409), statuses.join(','));
      for (const r of results.filter((x) => x.status === 409)) assert.equal(r.body.code, 'idempotency_key_in_flight');
      assert.equal(new Set(results.filter((r) => r.status === 201).map((r) => r.body.id)).size, 1);
      const [count] = await query<{ n: number }>(t.database.db, 'select count(*)::int as n from payments where merchant_id = ?', [merchant.id]);
      assert.equal(count!.n, 1);
    });

    it('replays an error answer too, and keys live 24 hours', async () => {
      const merchant = await createTestMerchant(t);
      const client = api(t, merchant);
      const open = await client.post('/payments', { payee_purse: merchant.purse, amount: '1' }).expect(201);
      const bad = await client.post(`/payments/${open.body.id}/confirm`, { code: '12' }, { 'Idempotency-Key': 'bad-code' }).expect(400);
      const again = await client.post(`/payments/${open.body.id}/confirm`, { code: '12' }, { 'Idempotency-Key': 'bad-code' }).expect(400);
      assert.equal(again.body.request_id, bad.body.request_id);
      t.clock.advanceSeconds(24 * 3600 + 1);
      const later = await client.post(`/payments/${open.body.id}/confirm`, { code: '12' }, { 'Idempotency-Key': 'bad-code' }).expect(400);
      assert.notEqual(later.body.request_id, bad.body.request_id);
    });
  });

  describe('test mode', () => {
    it('uses tp_test_ keys and test wallets only, exposes codes at /test/sms, and honours no real SMS', async () => {
      const merchant = await createTestMerchant(t, { mode: 'test' });
      assert.match(merchant.apiKey, /^tp_test_/);
      const testBuyer = await createBuyer(t, '5.00', { mode: 'test' });
      const client = api(t, merchant);
      const p = await client.post('/payments', { payee_purse: merchant.purse, amount: '1.25', phone: testBuyer.phone }).expect(201);
      assert.equal(p.body.mode, 'test');
      const sms = await client.get(`/test/sms?phone=${encodeURIComponent(`+${testBuyer.phone}`)}`).expect(200);
      assert.equal(sms.body.data.length, 1);
      assert.match(sms.body.data[0].code, /^\d{4}$/);
      assert.match(sms.body.data[0].text, new RegExp(`^${sms.body.data[0].code} is your code to pay 1\\.25 USD to Test Shop`));
      const paid = await client.post(`/payments/${p.body.id}/confirm`, { code: sms.body.data[0].code }).expect(200);
      assert.equal(paid.body.status, 'succeeded');

      const live = await createTestMerchant(t);
      const refused = await api(t, live).get(`/test/sms?phone=${testBuyer.phone}`).expect(403);
      assert.equal(refused.body.code, 'forbidden');
    });

    it('never pays a test merchant from a live wallet', async () => {
      const merchant = await createTestMerchant(t, { mode: 'test' });
      const liveBuyer = await createBuyer(t, '5.00');
      const res = await api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount: '1', phone: liveBuyer.phone }).expect(409);
      assert.equal(res.body.code, 'no_wallet');
      assert.equal(await walletBalance(t, liveBuyer.purse), '5.00');
    });
  });

  describe('pay links', () => {
    it('sends the link (not a code) by SMS, in the payment language; refuses send without a phone', async () => {
      const merchant = await createTestMerchant(t);
      const buyer = await createBuyer(t);
      const client = api(t, merchant);
      const p = await client.post('/payments', { payee_purse: merchant.purse, amount: '2.00', phone: buyer.phone, send: 'link', lang: 'de' }).expect(201);
      assert.equal(p.body.status, 'created');
      assert.match(p.body.link_url, /^http:\/\/pay\.test\/l\/[0-9a-z]{10}$/);
      const [sms] = t.app.sms.devInbox.inbox(`+${buyer.phone}`);
      assert.equal(sms!.text, `2.00 USD an Test Shop zahlen: ${p.body.link_url}`);
      const opened = await t.http.get(new URL(p.body.link_url).pathname).expect(303);
      const token = p.body.link_url.split('/').pop();
      assert.deepEqual(capturedLogLines.filter((line) => line.includes(token)), [], 'the link token is its secret: not in the access log');
      assert.equal(opened.headers.location, `/pay/${p.body.id}`);
      assert.equal(t.app.sms.devInbox.inbox(`+${buyer.phone}`).length, 2, 'opening the link sent the code');
      const noPhone = await client.post('/payments', { payee_purse: merchant.purse, amount: '2.00', send: 'link' }).expect(400);
      assert.equal(noPhone.body.errors[0].field, 'send');
    });

    it('fails at once when the phone has no wallet, and the link of an ended payment has expired', async () => {
      const merchant = await createTestMerchant(t);
      const client = api(t, merchant);
      const res = await client.post('/payments', { payee_purse: merchant.purse, amount: '2.00', phone: '+7 903 777-00-01', send: 'link' }).expect(409);
      assert.equal(res.body.code, 'no_wallet');
      const buyer = await createBuyer(t);
      const p = await client.post('/payments', { payee_purse: merchant.purse, amount: '2.00', phone: buyer.phone, send: 'link' }).expect(201);
      await client.post(`/payments/${p.body.id}/cancel`).expect(200);
      const gone = await t.http.get(new URL(p.body.link_url).pathname).expect(410);
      assert.match(gone.text, /This payment link has expired/);
    });
  });

  it('replays a payment whose metadata has keys named like secrets as it was sent (only shown-once secrets are blanked)', async () => {
    const merchant = await createTestMerchant(t);
    const body = { payee_purse: merchant.purse, amount: '1.00', metadata: { key: 'order-7', api_key: 'crm-1', secret_key: 'x' } };
    const first = await api(t, merchant).post('/payments', body, { 'Idempotency-Key': 'meta-replay-1' }).expect(201);
    const again = await api(t, merchant).post('/payments', body, { 'Idempotency-Key': 'meta-replay-1' }).expect(201);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.deepEqual(again.body.metadata, { key: 'order-7', api_key: 'crm-1', secret_key: 'x' });
    assert.deepEqual(again.body, first.body);
  });
});
