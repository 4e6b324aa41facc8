import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { useTestApp } from '../helpers/test-app.js';
import { createTestMerchant, createBuyer, lastCode, api } from '../helpers/merchant.js';
import { payNow } from '../helpers/payments.js';
import { HostedPage } from '../helpers/hosted-page.js';
import { Receiver } from '../helpers/receiver.js';
import { query } from '../../lib/postgres/db.js';

/** The docs/merchant-guide.md#the-result-notification formula, computed here independently of lib/. */
function expectedHashes(f: URLSearchParams, secret: string, method: 'sha256' | 'md5') {
  const values = ['LMI_PAYEE_PURSE', 'LMI_PAYMENT_AMOUNT', 'LMI_PAYMENT_NO', 'LMI_MODE', 'LMI_SYS_INVS_NO', 'LMI_SYS_TRANS_NO', 'LMI_SYS_TRANS_DATE']
    .map((n) => f.get(n) ?? '')
    .concat(secret, f.get('LMI_PAYER_PURSE') ?? '', f.get('LMI_PAYER_WM') ?? '');
  return {
    hash: createHash(method).update(values.join('')).digest('hex').toUpperCase(),
    hash2: createHash('sha256').update(values.join(';')).digest('hex').toUpperCase(),
  };
}

describe('merchant notifications', () => {
  const receiver = new Receiver();
  const t = useTestApp({ config: { notifyRetrySchedule: [30, 60, 120] } });

  before(() => receiver.start());
  after(() => receiver.stop());
  beforeEach(() => {
    receiver.requests.length = 0;
    receiver.reply = () => ({ status: 200, body: 'OK' });
  });

  for (const hashMethod of ['sha256', 'md5'] as const) {
    it(`sends the Result fields of docs/merchant-guide.md#the-result-notification with LMI_HASH (${hashMethod}) and LMI_HASH2 that verify independently`, async () => {
      const merchant = await createTestMerchant(t, { result_url: receiver.url(), hash_method: hashMethod });
      const { payment, buyer } = await payNow(t, merchant, '12.08', { payment_no: 31337, description: 'Mug' }, { notified: true });
      const [req] = receiver.requests;
      assert.equal(req!.headers['content-type'], 'application/x-www-form-urlencoded');
      const f = new URLSearchParams(req!.body);
      assert.deepEqual([...f.keys()], [
        'LMI_MODE', 'LMI_PAYEE_PURSE', 'LMI_PAYMENT_AMOUNT', 'LMI_PAYMENT_NO', 'LMI_SYS_INVS_NO', 'LMI_SYS_TRANS_NO', 'LMI_SYS_TRANS_DATE',
        'LMI_PAYER_PURSE', 'LMI_PAYER_WM', 'LMI_TELEPAT_PHONENUMBER', 'LMI_TELEPAT_ORDERID', 'LMI_PAYMENT_DESC', 'LMI_HASH', 'LMI_HASH2',
      ]);
      assert.equal(f.get('LMI_MODE'), '0');
      assert.equal(f.get('LMI_PAYEE_PURSE'), merchant.purse);
      assert.equal(f.get('LMI_PAYMENT_AMOUNT'), '12.08');
      assert.equal(f.get('LMI_PAYMENT_NO'), '31337');
      assert.equal(f.get('LMI_SYS_INVS_NO'), String(payment.invoice_no));
      assert.equal(f.get('LMI_SYS_TRANS_NO'), String(payment.transaction_no));
      assert.match(f.get('LMI_SYS_TRANS_DATE')!, /^\d{8} \d{2}:\d{2}:\d{2}$/);
      assert.equal(f.get('LMI_PAYER_PURSE'), buyer.purse);
      assert.equal(f.get('LMI_PAYER_WM'), buyer.holderId);
      assert.equal(f.get('LMI_TELEPAT_PHONENUMBER'), buyer.phone);
      assert.equal(f.get('LMI_TELEPAT_ORDERID'), payment.id);
      assert.equal(f.get('LMI_PAYMENT_DESC'), 'Mug');
      const expected = expectedHashes(f, merchant.secretKey, hashMethod);
      assert.equal(f.get('LMI_HASH'), expected.hash);
      assert.equal(f.get('LMI_HASH2'), expected.hash2);
    });
  }

  it('hashes an absent LMI_PAYMENT_NO as the empty string and passes the merchant\'s own fields, in test mode with LMI_MODE=1', async () => {
    const merchant = await createTestMerchant(t, { result_url: receiver.url(), hash_method: 'md5', mode: 'test' });
    const buyer = await createBuyer(t, '10.00', { mode: 'test' });
    const page = await HostedPage.fromForm(t, { LMI_PAYEE_PURSE: merchant.purse, LMI_PAYMENT_AMOUNT: '2.5', order: 'Z-9', note: 'ünïcödé & more' });
    await page.submit('phone', { phone: buyer.phone });
    await page.submit('code', { code: lastCode(t, buyer.phone) });
    await t.app.notifier.idle();
    const f = new URLSearchParams(receiver.requests[0]!.body);
    assert.equal(f.get('LMI_PAYMENT_NO'), '');
    assert.equal(f.get('LMI_MODE'), '1');
    assert.equal(f.get('LMI_PAYMENT_AMOUNT'), '2.50');
    assert.deepEqual([...f].slice(-2), [['order', 'Z-9'], ['note', 'ünïcödé & more']]);
    const expected = expectedHashes(f, merchant.secretKey, 'md5');
    assert.deepEqual([f.get('LMI_HASH'), f.get('LMI_HASH2')], [expected.hash, expected.hash2]);
  });

  it('retries with growing delays until a 2xx, sending identical values every time, and lists every attempt', async () => {
    const merchant = await createTestMerchant(t, { result_url: receiver.url() });
    let answers = 0;
    receiver.reply = () => (++answers <= 2 ? { status: 503, body: 'busy' } : { status: 200, body: 'thanks' });
    const { payment } = await payNow(t, merchant, '12.08', {}, { notified: true });
    assert.equal(receiver.requests.length, 1, 'first attempt right after commit');
    assert.equal(await t.app.notifier.sweep(), 0, 'not due before the first delay');
    t.clock.advanceSeconds(30);
    await t.app.notifier.sweep();
    assert.equal(receiver.requests.length, 2);
    t.clock.advanceSeconds(59);
    await t.app.notifier.sweep();
    assert.equal(receiver.requests.length, 2, 'the second delay is longer');
    t.clock.advanceSeconds(1);
    await t.app.notifier.sweep();
    assert.equal(receiver.requests.length, 3);
    assert.equal(new Set(receiver.requests.map((r) => r.body)).size, 1, 'identical values on every attempt');
    t.clock.advanceSeconds(3600);
    await t.app.notifier.sweep();
    assert.equal(receiver.requests.length, 3, 'delivered: no more attempts');

    const list = await api(t, merchant).get(`/payments/${payment.id}/notifications`).expect(200);
    const result = list.body.data.find((n: { kind: string }) => n.kind === 'result');
    assert.equal(result.status, 'delivered');
    assert.deepEqual(result.attempts.map((a: { http_status: number }) => a.http_status), [503, 503, 200]);
    assert.equal(result.attempts[0].error, 'answered 503');
    assert.ok(result.attempts.every((a: { latency_ms: number; at: string }) => a.latency_ms >= 0 && a.at));
  });

  it('marks a notification dead when the schedule is used up; redeliver queues one more', async () => {
    const merchant = await createTestMerchant(t, { result_url: receiver.url() });
    receiver.reply = () => ({ status: 500 });
    const { payment } = await payNow(t, merchant, '12.08', {}, { notified: true });
    for (const wait of [30, 60, 120]) {
      t.clock.advanceSeconds(wait);
      await t.app.notifier.sweep();
    }
    assert.equal(receiver.requests.length, 4);
    const [row] = await query<{ id: string; status: string }>(t.database.db, `select id, status from notifications where payment_id = ? and kind = 'result'`, [payment.id]);
    assert.equal(row!.status, 'dead');
    receiver.reply = () => ({ status: 204 });
    const queued = await api(t, merchant).post(`/notifications/${row!.id}/redeliver`).expect(202);
    assert.equal(queued.body.status, 'pending');
    await t.app.notifier.idle();
    assert.equal(receiver.requests.length, 5);
    const [after] = await query<{ status: string }>(t.database.db, 'select status from notifications where id = ?', [row!.id]);
    assert.equal(after!.status, 'delivered');
    const other = await createTestMerchant(t);
    await api(t, other).post(`/notifications/${row!.id}/redeliver`).expect(404);
  });

  it('does not follow redirects, and cuts a slow answer at the timeout', async () => {
    const target = new Receiver();
    await target.start();
    try {
      const merchant = await createTestMerchant(t, { result_url: receiver.url() });
      receiver.reply = () => ({ status: 302, headers: { Location: target.url('/elsewhere') } });
      await payNow(t, merchant, '12.08', {}, { notified: true });
      assert.equal(receiver.requests.length, 1);
      assert.equal(target.connections, 0, 'the redirect target was never contacted');

      receiver.reply = () => 'hang';
      const started = Date.now();
      const { payment } = await payNow(t, merchant, '12.08', {}, { notified: true });
      assert.ok(Date.now() - started < 8000);
      const list = await api(t, merchant).get(`/payments/${payment.id}/notifications`).expect(200);
      const attempt = list.body.data.find((n: { kind: string }) => n.kind === 'result').attempts[0];
      assert.match(attempt.error, /no answer within 2000 ms/);
    } finally {
      await target.stop();
    }
  });

  it('reads at most a small part of a huge answer', async () => {
    const merchant = await createTestMerchant(t, { result_url: receiver.url() });
    receiver.reply = () => ({ status: 200, body: 'x'.repeat(20 * 1024 * 1024) });
    const { payment } = await payNow(t, merchant, '12.08', {}, { notified: true });
    const [row] = await query<{ status: string }>(t.database.db, `select status from notifications where payment_id = ? and kind = 'result'`, [payment.id]);
    assert.equal(row!.status, 'delivered');
  });

  describe('pre-request', () => {
    async function attempt(reply: Receiver['reply']) {
      const merchant = await createTestMerchant(t, { result_url: receiver.url(), prerequest: true });
      receiver.reply = reply;
      const buyer = await createBuyer(t);
      const client = api(t, merchant);
      const p = await client.post('/payments', { payee_purse: merchant.purse, amount: '3.00', payment_no: 12 }).expect(201);
      const res = await client.post(`/payments/${p.body.id}/phone`, { phone: buyer.phone });
      return { res, buyer, id: p.body.id as string, merchant };
    }

    it('asks the Result URL with LMI_PREREQUEST=1 before any code; YES lets the payment go on', async () => {
      const { res, buyer, id } = await attempt(() => ({ status: 200, body: 'YES' }));
      assert.equal(res.status, 200);
      const f = new URLSearchParams(receiver.requests[0]!.body);
      assert.equal(f.get('LMI_PREREQUEST'), '1');
      assert.equal(f.get('LMI_PAYMENT_NO'), '12');
      assert.equal(f.get('LMI_TELEPAT_PHONENUMBER'), buyer.phone);
      assert.equal(f.get('LMI_TELEPAT_ORDERID'), id);
      assert.equal(f.get('LMI_PAYER_PURSE'), buyer.purse);
      for (const absent of ['LMI_SYS_TRANS_NO', 'LMI_SYS_TRANS_DATE', 'LMI_HASH', 'LMI_HASH2']) assert.equal(f.has(absent), false, absent);
      assert.equal(t.app.sms.devInbox.inbox(`+${buyer.phone}`).length, 1);
    });

    for (const [name, reply] of [
      ['NO', () => ({ status: 200, body: 'NO' })],
      ['YES with a 500', () => ({ status: 500, body: 'YES' })],
      ['no answer in time', () => 'hang' as const],
    ] as [string, Receiver['reply']][]) {
      it(`fails the payment with declined_by_merchant and sends no SMS on ${name}`, async () => {
        const { res, buyer, id, merchant } = await attempt(reply);
        assert.equal(res.status, 409);
        const after = await api(t, merchant).get(`/payments/${id}`).expect(200);
        assert.deepEqual([after.body.status, after.body.failure_reason], ['failed', 'declined_by_merchant']);
        assert.equal(t.app.sms.devInbox.inbox(`+${buyer.phone}`).length, 0);
      });
    }
  });
});
