import assert from 'node:assert/strict';
import { useTestApp } from '../helpers/test-app.js';
import { createTestMerchant, createBuyer, lastCode, api, type TestMerchant } from '../helpers/merchant.js';
import { payNow, walletBalance } from '../helpers/payments.js';
import { Receiver } from '../helpers/receiver.js';
import { capturedLogLines } from '../helpers/log-capture.js';
import { query } from '../../lib/postgres/db.js';

describe('limits that used to leak: idempotency after 24 h, pay-link and refund SMS, attempts and redeliveries', () => {
  const receiver = new Receiver();
  const t = useTestApp({
    config: { notifyRetrySchedule: [1, 1, 1, 1, 1, 1], notificationAttemptsPageSize: 2, maxRedeliveriesPerNotification: 2, codes: { maxRefundSmsPerPhonePerDay: 2 } },
  });
  let merchant: TestMerchant;
  before(async () => {
    await receiver.start();
    merchant = await createTestMerchant(t, { result_url: receiver.url() });
  });
  after(() => receiver.stop());

  it('an Idempotency-Key reused after its 24 h record lapsed never answers the old payment or refund for another body', async () => {
    const client = api(t, merchant);
    const first = await client.post('/payments', { payee_purse: merchant.purse, amount: '1.00' }, { 'Idempotency-Key': 'order-77' }).expect(201);
    const within = await client.post('/payments', { payee_purse: merchant.purse, amount: '2.00' }, { 'Idempotency-Key': 'order-77' }).expect(422);
    assert.equal(within.body.code, 'idempotency_key_reused');
    t.clock.advanceSeconds(25 * 3600);
    const later = await client.post('/payments', { payee_purse: merchant.purse, amount: '2.00' }, { 'Idempotency-Key': 'order-77' }).expect(201);
    assert.notEqual(later.body.id, first.body.id);
    assert.equal(later.body.amount, '2.00');

    const { payment: { id } } = await payNow(t, merchant);
    const r1 = await client.post(`/payments/${id}/refunds`, { amount: '1.00' }, { 'Idempotency-Key': 'refund-1' }).expect(201);
    t.clock.advanceSeconds(25 * 3600);
    const r2 = await client.post(`/payments/${id}/refunds`, { amount: '2.00' }, { 'Idempotency-Key': 'refund-1' }).expect(201);
    assert.notEqual(r2.body.id, r1.body.id);
    assert.equal(r2.body.amount, '2.00');
    const [row] = await query<{ amount_refunded: bigint }>(t.database.db, 'select amount_refunded from payments where id = ?', [id]);
    assert.equal(row!.amount_refunded, 300n);
  });

  it('counts pay-link SMS with code SMS against the per-phone cap (5 an hour)', async () => {
    const buyer = await createBuyer(t);
    const client = api(t, merchant);
    await client.post('/payments', { payee_purse: merchant.purse, amount: '1.00', phone: buyer.phone }).expect(201);
    lastCode(t, buyer.phone);
    for (let i = 0; i < 4; i++) await client.post('/payments', { payee_purse: merchant.purse, amount: '1.00', phone: buyer.phone, send: 'link' }).expect(201);
    const sixth = await client.post('/payments', { payee_purse: merchant.purse, amount: '1.00', phone: buyer.phone, send: 'link' }).expect(429);
    assert.equal(sixth.body.code, 'rate_limited');
    assert.ok(Number(sixth.headers['retry-after']) > 0);
    const code = await client.post('/payments', { payee_purse: merchant.purse, amount: '1.00', phone: buyer.phone }).expect(429);
    assert.equal(code.body.code, 'rate_limited');
    assert.equal(t.app.sms.devInbox.inbox(`+${buyer.phone}`).length, 5);
  });

  it('caps refund SMS per phone and day; the money still goes back', async () => {
    const { payment: { id }, buyer } = await payNow(t, merchant, '10.00');
    for (let i = 0; i < 4; i++) await api(t, merchant).post(`/payments/${id}/refunds`, { amount: '1.00' }).expect(201);
    const [sms] = await query<{ n: number }>(t.database.db, `select count(*)::int as n from sms_messages where phone = ? and kind = 'refund'`, [buyer.phone]);
    assert.equal(sms!.n, 2);
    assert.equal(await walletBalance(t, buyer.purse), '94.00');
    t.clock.advanceSeconds(24 * 3600 + 1);
    await api(t, merchant).post(`/payments/${id}/refunds`, { amount: '1.00' }).expect(201);
    const [next] = await query<{ n: number }>(t.database.db, `select count(*)::int as n from sms_messages where phone = ? and kind = 'refund'`, [buyer.phone]);
    assert.equal(next!.n, 3, 'a new day, a new allowance');
  });

  it('pages the attempts of a notification, limits redeliveries, and logs failed attempts at warn with the notification id', async () => {
    receiver.reply = () => ({ status: 500, body: 'down' });
    const { payment: { id } } = await payNow(t, merchant, '1.00');
    await t.app.notifier.idle(); // the first attempt, made right after commit
    for (let i = 0; i < 4; i++) {
      t.clock.advanceSeconds(10);
      await t.app.notifier.sweep();
    }
    const list = await api(t, merchant).get(`/payments/${id}/notifications`).expect(200);
    const result = list.body.data.find((n: { kind: string }) => n.kind === 'result');
    assert.equal(result.attempt_count, 5);
    assert.equal(result.attempts.length, 2, 'only the latest attempts in the list');

    const pageOne = await api(t, merchant).get(`/notifications/${result.id}/attempts?limit=3`).expect(200);
    assert.equal(pageOne.body.data.length, 3);
    assert.equal(pageOne.body.has_more, true);
    const pageTwo = await api(t, merchant).get(`/notifications/${result.id}/attempts?limit=3&cursor=${pageOne.body.next_cursor}`).expect(200);
    assert.equal(pageTwo.body.data.length, 2);
    assert.equal(pageTwo.body.has_more, false);
    const times = [...pageOne.body.data, ...pageTwo.body.data].map((a: { at: string }) => a.at);
    assert.deepEqual(times, [...times].sort().reverse(), 'newest first');
    const bad = await api(t, merchant).get(`/notifications/${result.id}/attempts?cursor=nonsense`).expect(400);
    assert.equal(bad.body.errors[0].field, 'cursor');

    const failed = capturedLogLines.filter((l) => l.includes(result.id) && l.includes('notification attempt failed'));
    assert.ok(failed.length >= 5 && failed.every((l) => l.includes('"level":40')), 'failed attempts are warnings naming the notification');

    await api(t, merchant).post(`/notifications/${result.id}/redeliver`).expect(202);
    await api(t, merchant).post(`/notifications/${result.id}/redeliver`).expect(202);
    const third = await api(t, merchant).post(`/notifications/${result.id}/redeliver`).expect(409);
    assert.equal(third.body.code, 'redelivery_limit_reached');
    receiver.reply = () => ({ status: 200, body: 'OK' });
  });
});
