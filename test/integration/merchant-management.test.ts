import assert from 'node:assert/strict';
import { useTestApp } from '../helpers/test-app.js';
import { createTestMerchant, api } from '../helpers/merchant.js';
import { assertLedgerClean, payNow, walletBalance } from '../helpers/payments.js';
import { rememberSecret } from '../helpers/log-capture.js';
import { query } from '../../lib/postgres/db.js';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

describe('API keys, suspension and the operator\'s merchants (docs/merchant-guide.md#shops-methods-and-keys)', () => {
  const t = useTestApp();
  const withKey = (key: string) => ({
    get: (path: string) => t.http.get(`/api/v1${path}`).set('Authorization', `Bearer ${key}`),
    post: (path: string, body: object = {}, headers: Record<string, string> = {}) => t.http.post(`/api/v1${path}`).set('Authorization', `Bearer ${key}`).set(headers).send(body),
    del: (path: string) => t.http.delete(`/api/v1${path}`).set('Authorization', `Bearer ${key}`),
  });

  it('lists keys without the keys, shows a new key once (a replay shows null), and refuses a revoked key at once', async () => {
    const merchant = await createTestMerchant(t);
    const first = withKey(merchant.apiKey);
    const listed = await first.get('/api_keys').expect(200);
    assert.equal(listed.body.data.length, 1);
    assert.deepEqual(Object.keys(listed.body.data[0]).sort(), ['created_at', 'id', 'last_used_at', 'mode', 'name', 'object', 'prefix', 'revoked_at']);
    assert.ok(merchant.apiKey.startsWith(listed.body.data[0].prefix));
    assert.ok(listed.body.data[0].last_used_at, 'last used is recorded');
    assert.ok(!JSON.stringify(listed.body).includes(merchant.apiKey));

    const created = await first.post('/api_keys', { name: 'deploy' }, { 'Idempotency-Key': 'new-key-1' }).expect(201);
    rememberSecret(created.body.key);
    assert.match(created.body.key, /^tp_live_[0-9A-Za-z]{32}$/);
    assert.equal(created.body.name, 'deploy');
    const replay = await first.post('/api_keys', { name: 'deploy' }, { 'Idempotency-Key': 'new-key-1' }).expect(201);
    assert.equal(replay.headers['idempotent-replayed'], 'true');
    assert.equal(replay.body.key, null, 'a key is shown once');
    assert.equal(replay.body.id, created.body.id);

    const second = withKey(created.body.key);
    await second.get(`/payments?limit=1`).expect(200);
    await second.del(`/api_keys/${listed.body.data[0].id}`).expect(204);
    const refused = await first.get('/payments?limit=1').expect(401);
    assert.equal(refused.body.code, 'unauthorized');

    const last = await second.del(`/api_keys/${created.body.id}`).expect(409);
    assert.equal(last.body.code, 'last_api_key');
    await second.get('/payments?limit=1').expect(200);
    const after = await second.get('/api_keys').expect(200);
    assert.deepEqual(after.body.data.map((k: { revoked_at: string | null }) => k.revoked_at === null), [true, false]);
  });

  it('two revocations racing for the last two keys: exactly one wins', async () => {
    const merchant = await createTestMerchant(t);
    const other = await withKey(merchant.apiKey).post('/api_keys', {}).expect(201);
    rememberSecret(other.body.key);
    const keys = (await withKey(merchant.apiKey).get('/api_keys').expect(200)).body.data as { id: string }[];
    const answers = await Promise.all([withKey(merchant.apiKey).del(`/api_keys/${keys[1]!.id}`), withKey(other.body.key).del(`/api_keys/${keys[0]!.id}`)]);
    // the loser is refused as the last key (409), or, if the winner's revocation came first, as a revoked key (401)
    const [won, lost] = answers.map((a) => a.status).sort();
    assert.equal(won, 204);
    assert.ok(lost === 409 || lost === 401, String(lost));
    const [active] = await query<{ n: number }>(t.database.db, 'select count(*)::int as n from api_keys where merchant_id = ? and revoked_at is null', [merchant.id]);
    assert.equal(active!.n, 1);
  });

  it("another merchant's key id is not found, and a malformed one too", async () => {
    const a = await createTestMerchant(t);
    const b = await createTestMerchant(t);
    const bKeys = (await withKey(b.apiKey).get('/api_keys').expect(200)).body.data as { id: string }[];
    assert.equal((await withKey(a.apiKey).del(`/api_keys/${bKeys[0]!.id}`).expect(404)).body.code, 'api_key_not_found');
    assert.equal((await withKey(a.apiKey).del('/api_keys/nonsense').expect(404)).body.code, 'api_key_not_found');
    await withKey(b.apiKey).get('/payments?limit=1').expect(200);
  });

  it('a suspended merchant takes no payments and its keys are refused; the operator can still refund; reactivated it works again', async () => {
    const merchant = await createTestMerchant(t, { success_url: 'https://shop.example.com/ok', fail_url: 'https://shop.example.com/sorry' });
    const { payment: p, buyer } = await payNow(t, merchant, '4.00');
    const client = api(t, merchant);

    const suspended = await t.admin('patch', `/admin/v1/merchants/${merchant.id}`).send({ status: 'suspended' }).expect(200);
    assert.equal(suspended.body.status, 'suspended');
    const refused = await client.get('/payments?limit=1').expect(403);
    assert.equal(refused.body.code, 'merchant_suspended');
    const form = await t.http.post('/lmi/payment').type('form').send(new URLSearchParams({ LMI_PAYEE_PURSE: merchant.purse, LMI_PAYMENT_AMOUNT: '1.00' }).toString());
    assert.equal(form.status, 403);
    assert.match(form.headers['content-type']!, /text\/html/);
    assert.match(form.text, /does not accept payments now/);

    const refund = await t.admin('post', `/admin/v1/payments/${p.id}/refunds`).send({ amount: '1.50' }).expect(201);
    assert.equal(refund.body.amount, '1.50');
    assert.equal(await walletBalance(t, buyer.purse), '97.50');

    await t.admin('patch', `/admin/v1/merchants/${merchant.id}`).send({ status: 'active' }).expect(200);
    await client.get('/payments?limit=1').expect(200);
  });

  it("the operator's refund with an Idempotency-Key refunds once however often it is retried; a malformed key is a 400 naming the header", async () => {
    const merchant = await createTestMerchant(t);
    const { payment: p, buyer } = await payNow(t, merchant, '6.00');
    const client = api(t, merchant);
    const refund = (key: string, amount: string) =>
      t.admin('post', `/admin/v1/payments/${p.id}/refunds`).set('Idempotency-Key', key).send({ amount });

    const first = await refund('support-ticket-77', '2.00').expect(201);
    // the operator's client timed out and retries, twice at once: the first answer again
    const retries = await Promise.all([refund('support-ticket-77', '2.00'), refund('support-ticket-77', '2.00')]);
    assert.deepEqual(retries.map((r) => [r.status, r.headers['idempotent-replayed'], r.body.id]), [[201, 'true', first.body.id], [201, 'true', first.body.id]]);
    // the stored answer is lost (the process died after the refund committed, before the answer was
    // kept): the key kept on the refund row still finds it
    await query(t.database.db, "delete from idempotency_keys where owner = 'operator' and key = 'support-ticket-77'");
    const found = await refund('support-ticket-77', '2.00').expect(200);
    assert.equal(found.body.id, first.body.id);
    assert.equal((await client.get(`/payments/${p.id}`).expect(200)).body.amount_refunded, '2.00');
    assert.equal(await walletBalance(t, buyer.purse), '96.00');

    // a new key sent three times at once: one refund (the others answer it, or 409 while it runs)
    const racing = await Promise.all([1, 2, 3].map(() => refund('support-ticket-78', '0.50')));
    assert.ok(racing.every((r) => r.status === 201 || (r.status === 409 && r.body.code === 'idempotency_key_in_flight')), racing.map((r) => r.status).join());
    assert.equal(new Set(racing.filter((r) => r.status === 201).map((r) => r.body.id)).size, 1);
    // the same key with another body: 422 while its answer is kept; once the answer is gone, another refund
    assert.equal((await refund('support-ticket-78', '1.00').expect(422)).body.code, 'idempotency_key_reused');
    await query(t.database.db, "delete from idempotency_keys where owner = 'operator' and key = 'support-ticket-77'");
    const other = await refund('support-ticket-77', '1.00').expect(201);
    assert.notEqual(other.body.id, first.body.id);
    for (const bad of ['has space', 'x'.repeat(256)]) {
      const res = await refund(bad, '1.00').expect(400);
      assert.equal(res.body.errors[0].field, 'Idempotency-Key');
    }
    assert.equal((await client.get(`/payments/${p.id}`).expect(200)).body.amount_refunded, '3.50', 'the malformed keys refunded nothing');

    // the CLI's refunds:create --key, run again after it seemed to fail, refunds once too
    const env = { ...process.env, NODE_ENV: 'development', DATABASE_URL: t.database.url, CODE_SECRET: t.config.codeSecret!, DATA_KEY: t.config.dataKey! };
    const cli = async () => JSON.parse((await run(process.execPath, ['--import', 'tsx', 'lib/cli.ts', 'refunds:create', p.id, '--amount', '0.25', '--key', 'cli-1'], { env })).stdout);
    const [once, again] = [await cli(), await cli()];
    assert.equal(again.id, once.id);
    assert.equal((await client.get(`/payments/${p.id}`).expect(200)).body.amount_refunded, '3.75');
    await assertLedgerClean(t);
  });

  it('lists, reads and updates merchants for the operator; bad input names the field and changes nothing', async () => {
    const merchant = await createTestMerchant(t);
    const one = await t.admin('get', `/admin/v1/merchants/${merchant.id}`).expect(200);
    assert.deepEqual([one.body.id, one.body.status, one.body.purse], [merchant.id, 'active', merchant.purse]);
    assert.ok(!('secret_key' in one.body) && !('api_key' in one.body) && !('webhook_secret' in one.body), 'no secret outside the creating answer');

    const renamed = await t.admin('patch', `/admin/v1/merchants/${merchant.id}`).send({ name: 'Renamed Shop' }).expect(200);
    assert.equal(renamed.body.name, 'Renamed Shop');
    for (const [body, field] of [[{ status: 'gone' }, 'status'], [{ name: '' }, 'name'], [{ name: 'A\u202Eb' }, 'name'], [{}, '(body)'], [{ secret_key: 'x' }, 'secret_key']] as const) {
      const bad = await t.admin('patch', `/admin/v1/merchants/${merchant.id}`).send(body).expect(400);
      assert.equal(bad.body.errors[0].field, field, JSON.stringify(bad.body));
    }
    assert.equal((await t.admin('get', `/admin/v1/merchants/${merchant.id}`)).body.name, 'Renamed Shop');
    assert.equal((await t.admin('get', '/admin/v1/merchants/mch_000000000000000000000000').expect(404)).body.code, 'merchant_not_found');

    const firstPage = await t.admin('get', '/admin/v1/merchants?limit=2').expect(200);
    assert.equal(firstPage.body.data.length, 2);
    assert.equal(firstPage.body.has_more, true);
    const secondPage = await t.admin('get', `/admin/v1/merchants?limit=2&cursor=${firstPage.body.next_cursor}`).expect(200);
    assert.ok(secondPage.body.data[0].id > firstPage.body.data[1].id);
  });
});
