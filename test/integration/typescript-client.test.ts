import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { z } from 'zod';
import { useTestApp } from '../helpers/test-app.js';
import { rememberCode, rememberSecret } from '../helpers/log-capture.js';
import { telepurseClient, TelepurseError } from '../../clients/typescript/client.js';
import * as o from '../../lib/schemas/objects.js';

/** An answer is exactly the documented object: a field added or dropped by a presenter fails here. */
function documented<T>(schema: z.ZodType, value: T): T {
  const parsed = schema.safeParse(value);
  assert.ok(parsed.success, `${JSON.stringify(parsed.error?.issues)} in ${JSON.stringify(value)}`);
  return value;
}

async function refused(call: Promise<unknown>, status: number, code: string): Promise<TelepurseError> {
  const err = await call.then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof TelepurseError, `refused with ${code}`);
  assert.deepEqual([err.status, err.problem.code], [status, code], err.message);
  return err;
}

/**
 * Issue #20: a merchant's integration test, written against the generated client with nothing but
 * a tp_test_ key and the documented test phones, over real HTTP.
 */
describe('the generated TypeScript client runs the whole API flow with only a test key', function () {
  this.timeout(60_000);
  const t = useTestApp();
  let server: http.Server;
  let base: string;
  before(async () => {
    server = http.createServer(t.app.koa.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('creates, reads the code, confirms, refunds, captures, and meets each test phone', async () => {
    // the operator's one step: a test merchant; from here on only its tp_test_ key is used
    const merchant = (await t.admin('post', '/admin/v1/merchants').send({ name: 'Client Shop', mode: 'test' }).expect(201)).body;
    for (const secret of [merchant.api_key, merchant.secret_key, merchant.webhook_secret]) rememberSecret(secret);
    assert.match(merchant.api_key, /^tp_test_/);
    const client = telepurseClient(base, merchant.api_key);
    const codeOf = async (phone: string) => {
      const inbox = documented(o.testSmsList, await client.call('get', '/test/sms', { query: { phone } }));
      const code = inbox.data[0]?.code;
      assert.ok(code, `a code reached ${phone}`);
      rememberCode(code);
      return code;
    };

    const created = documented(o.paymentObject, await client.call('post', '/payments', {
      body: { payee_purse: merchant.purse, amount: '12.08', payment_no: 1042, phone: '+1 202 555 0101', metadata: { order_ref: 'A-1042' } },
      idempotencyKey: 'order-1042',
    }));
    assert.equal(created.status, 'code_sent');
    const replay = await client.call('post', '/payments', { body: { payee_purse: merchant.purse, amount: '12.08', payment_no: 1042, phone: '+1 202 555 0101', metadata: { order_ref: 'A-1042' } }, idempotencyKey: 'order-1042' });
    assert.equal(replay.id, created.id, 'a retry with the same Idempotency-Key is the same payment');

    const code = await codeOf('+12025550101');
    const wrong = await refused(client.call('post', '/payments/{id}/confirm', { params: { id: created.id }, body: { code: code === '0000' ? '1111' : '0000' } }), 422, 'code_invalid');
    assert.equal((wrong.problem as { tries_left?: number }).tries_left, 2);
    const paid = documented(o.paymentObject, await client.call('post', '/payments/{id}/confirm', { params: { id: created.id }, body: { code } }));
    assert.equal(paid.status, 'succeeded');
    assert.equal(paid.mode, 'test');

    const listed = documented(o.paymentList, await client.call('get', '/payments', { query: { payment_no: '1042', created_from: '2026-01-01' } }));
    assert.deepEqual(listed.data.map((p) => p.id), [created.id]);
    documented(o.paymentObject, await client.call('get', '/payments/{id}', { params: { id: created.id } }));

    const refund = documented(o.refundObject, await client.call('post', '/payments/{id}/refunds', { params: { id: created.id }, body: { amount: '2.08' } }));
    assert.equal(refund.amount, '2.08');
    documented(o.refundList, await client.call('get', '/payments/{id}/refunds', { params: { id: created.id } }));
    documented(o.smsList, await client.call('get', '/payments/{id}/messages', { params: { id: created.id } }));
    documented(o.notificationList, await client.call('get', '/payments/{id}/notifications', { params: { id: created.id } }));

    const balance = documented(o.balanceList, await client.call('get', '/balance'));
    assert.equal(balance.data[0]!.balance, '10.00', '12.08 paid, 2.08 refunded, no fee in test mode');
    documented(o.balanceTransactionList, await client.call('get', '/balance_transactions', { query: { limit: 10 } }));
    documented(o.walletObject, await client.call('get', '/wallets/{purse}', { params: { purse: merchant.purse } }));
    documented(o.payoutList, await client.call('get', '/payouts'));

    // the other test phones: no money, no wallet
    const poor = await client.call('post', '/payments', { body: { payee_purse: merchant.purse, amount: '1.00', phone: '+1 202 555 0102' } });
    await refused(client.call('post', '/payments/{id}/confirm', { params: { id: poor.id }, body: { code: await codeOf('+12025550102') } }), 409, 'insufficient_funds');
    await refused(client.call('post', '/payments', { body: { payee_purse: merchant.purse, amount: '1.00', phone: '+1 202 555 0104' } }), 409, 'no_wallet');
    const lost = await client.call('post', '/payments', { body: { payee_purse: merchant.purse, amount: '1.00', phone: '+1 202 555 0103' } });
    assert.equal(lost.status, 'code_sent');
    assert.deepEqual((await client.call('get', '/test/sms', { query: { phone: '+12025550103' } })).data, [], 'the SMS never arrives');

    // authorize now, capture later
    const shops = documented(o.shopList, await client.call('get', '/shops'));
    const shop = shops.data[0]!;
    documented(o.shopObject, await client.call('patch', '/shops/{id}', { params: { id: shop.id }, body: { methods: ['code', 'manual_capture'] } }));
    const held = await client.call('post', '/payments', { body: { payee_purse: merchant.purse, amount: '5.00', phone: '+1 202 555 0101', capture: 'manual' } });
    const authorized = await client.call('post', '/payments/{id}/confirm', { params: { id: held.id }, body: { code: await codeOf('+12025550101') } });
    assert.equal(authorized.status, 'authorized');
    const captured = documented(o.paymentObject, await client.call('post', '/payments/{id}/capture', { params: { id: held.id }, body: { amount: '3.00' } }));
    assert.deepEqual([captured.status, captured.amount_captured], ['succeeded', '3.00']);

    // keys
    const key = documented(o.createdApiKeyObject, await client.call('post', '/api_keys', { body: { name: 'ci' } }));
    rememberSecret(key.key);
    documented(o.apiKeyList, await client.call('get', '/api_keys'));
    await client.call('delete', '/api_keys/{id}', { params: { id: key.id } });

    // bad input comes back as a problem naming the field
    const bad = await refused(client.call('post', '/payments', { body: { payee_purse: merchant.purse, amount: '1.005' } }), 400, 'invalid_request');
    assert.equal(bad.problem.errors?.[0]?.field, 'amount');
  });
});
