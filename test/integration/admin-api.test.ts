import assert from 'node:assert/strict';
import supertest from 'supertest';
import { useTestApp } from '../helpers/test-app.js';
import { rememberSecret } from '../helpers/log-capture.js';
import { query } from '../../lib/postgres/db.js';
import { sha256Hex } from '../../lib/domain/secrets.js';

describe('admin API', () => {
  const t = useTestApp();

  it('refuses requests without the operator token, and with a wrong one', async () => {
    const anonymous = await t.http.post('/admin/v1/wallets').send({ currency: 'USD' }).expect(401);
    assert.equal(anonymous.body.code, 'unauthorized');
    await t.http.post('/admin/v1/wallets').set('Authorization', 'Bearer wrong-token-of-some-length').send({ currency: 'USD' }).expect(401);
    assert.equal((await query(t.database.db, "select * from wallets where holder_id <> '000000000000'")).length, 0, 'no wallet but the operator accounts');
  });

  it('creates a merchant: secrets shown once, the API key stored only as a hash', async () => {
    const res = await t.admin('post', '/admin/v1/merchants')
      .send({ name: 'Demo Shop', result_url: 'https://shop.example.com/result', allowed_hosts: ['pay.shop.example.com'], mode: 'test' })
      .expect(201);
    rememberSecret(res.body.api_key);
    rememberSecret(res.body.secret_key);
    rememberSecret(res.body.webhook_secret);
    assert.match(res.body.id, /^mch_/);
    assert.match(res.body.purse, /^Z\d{12}$/);
    assert.match(res.body.api_key, /^tp_test_[0-9A-Za-z]{32}$/);
    assert.ok(res.body.secret_key.length >= 32);
    assert.match(res.body.webhook_secret, /^whsec_/);
    assert.equal(res.body.mode, 'test');
    assert.equal(res.body.hash_method, 'sha256');
    const [key] = await query<{ key_hash: string; prefix: string }>(t.database.db, 'select key_hash, prefix from api_keys where merchant_id = ?', [res.body.id]);
    assert.equal(key!.key_hash, sha256Hex(res.body.api_key));
    const dump = JSON.stringify(await query(t.database.db, 'select * from api_keys'));
    assert.ok(!dump.includes(res.body.api_key), 'the API key itself is not stored');
    const wallet = await t.admin('get', `/admin/v1/wallets/${res.body.purse}`).expect(200);
    assert.equal(wallet.body.kind, 'merchant');
  });

  it('validates merchant settings and names the bad field', async () => {
    const res = await t.admin('post', '/admin/v1/merchants').send({ name: 'X', result_url: 'ftp://shop.example.com/r', hash_method: 'sha1' }).expect(400);
    assert.equal(res.body.code, 'invalid_request');
    assert.deepEqual(res.body.errors.map((e: { field: string }) => e.field).sort(), ['hash_method', 'result_url']);
  });

  it('opens wallets linked to phones, one per phone, currency and mode', async () => {
    const res = await t.admin('post', '/admin/v1/wallets').send({ currency: 'USD', phone: '+7 903 555-10-01' }).expect(201);
    assert.equal(res.body.phone, '+79035551001');
    assert.equal(res.body.balance, '0.00');
    assert.match(res.body.holder_id, /^\d{12}$/);
    const again = await t.admin('post', '/admin/v1/wallets').send({ currency: 'USD', phone: '79035551001' }).expect(409);
    assert.equal(again.body.code, 'phone_already_linked');
    const euro = await t.admin('post', '/admin/v1/wallets').send({ currency: 'EUR', phone: '79035551001' }).expect(201);
    assert.match(euro.body.purse, /^E\d{12}$/);
    assert.equal(euro.body.holder_id, res.body.holder_id, 'one person, one holder id');
    await t.admin('post', '/admin/v1/wallets').send({ currency: 'USD', phone: '79035551001', mode: 'test' }).expect(201);
    const bad = await t.admin('post', '/admin/v1/wallets').send({ currency: 'USD', phone: '+7 903' }).expect(400);
    assert.equal(bad.body.errors[0].field, 'phone');
  });

  it('tops a wallet up from the issuance account, idempotently by key', async () => {
    const { body: w } = await t.admin('post', '/admin/v1/wallets').send({ currency: 'RUB' }).expect(201);
    const first = await t.admin('post', `/admin/v1/wallets/${w.purse}/topups`).set('Idempotency-Key', 'topup-1').send({ amount: '150.5' }).expect(201);
    assert.equal(first.body.balance, '150.50');
    const replay = await t.admin('post', `/admin/v1/wallets/${w.purse}/topups`).set('Idempotency-Key', 'topup-1').send({ amount: '150.5' }).expect(201);
    assert.equal(replay.headers['idempotent-replayed'], 'true');
    assert.deepEqual(replay.body, first.body, 'the first answer again');
    // the answer was lost (a crash before it was stored, or 24 h later): the transfer's key still finds the top-up
    await query(t.database.db, "delete from idempotency_keys where owner = 'operator' and key = 'topup-1'");
    const found = await t.admin('post', `/admin/v1/wallets/${w.purse}/topups`).set('Idempotency-Key', 'topup-1').send({ amount: '150.5' }).expect(200);
    assert.equal(found.body.transfer_id, first.body.transfer_id);
    assert.equal(found.body.balance, '150.50');
    const reused = await t.admin('post', `/admin/v1/wallets/${w.purse}/topups`).set('Idempotency-Key', 'topup-1').send({ amount: '99.00' }).expect(422);
    assert.equal(reused.body.code, 'idempotency_key_reused');
    await t.admin('post', `/admin/v1/wallets/${w.purse}/topups`).send({ amount: '0.00' }).expect(400);
    await t.admin('post', `/admin/v1/wallets/${w.purse}/topups`).send({ amount: 10 }).expect(400);
    await t.admin('post', '/admin/v1/wallets/Z000000000999/topups').send({ amount: '1' }).expect(404);
    const shown = await t.admin('get', `/admin/v1/wallets/${w.purse}`).expect(200);
    assert.deepEqual([shown.body.balance, shown.body.available], ['150.50', '150.50']);
  });

  it("takes Idempotency-Key on every POST: a retried merchant creation answers the first merchant (secrets removed) and makes no second", async () => {
    const body = { name: 'Retried Shop', mode: 'test' };
    const [before] = await query<{ n: number }>(t.database.db, 'select count(*)::int as n from merchants');
    const first = await t.admin('post', '/admin/v1/merchants').set('Idempotency-Key', 'onboard-77').send(body).expect(201);
    [first.body.api_key, first.body.secret_key, first.body.webhook_secret].forEach(rememberSecret);
    const replay = await t.admin('post', '/admin/v1/merchants').set('Idempotency-Key', 'onboard-77').send(body).expect(201);
    assert.equal(replay.headers['idempotent-replayed'], 'true');
    assert.deepEqual(replay.body, { ...first.body, api_key: null, secret_key: null, webhook_secret: null }, 'secrets are shown once');
    assert.equal((await t.admin('post', '/admin/v1/merchants').set('Idempotency-Key', 'onboard-77').send({ ...body, name: 'Other' }).expect(422)).body.code, 'idempotency_key_reused');
    const [after] = await query<{ n: number }>(t.database.db, 'select count(*)::int as n from merchants');
    assert.equal(after!.n, before!.n + 1);
    const bad = await t.admin('post', '/admin/v1/merchants').set('Idempotency-Key', 'with space').send(body).expect(400);
    assert.equal(bad.body.errors[0].field, 'Idempotency-Key');
    // an operator key and a merchant's key of the same text are different keys
    const merchantKey = await t.http.post('/api/v1/api_keys').set('Authorization', `Bearer ${first.body.api_key}`).set('Idempotency-Key', 'onboard-77').send({ name: 'x' }).expect(201);
    rememberSecret(merchantKey.body.key);
    assert.ok(merchantKey.body.key, 'a new key, not the operator answer');
  });

  it('checks the ledger', async () => {
    const res = await t.admin('get', '/admin/v1/ledger/check').expect(200);
    assert.equal(res.body.ok, true, JSON.stringify(res.body.problems));
    assert.ok(res.body.counts.postings >= 2);
  });

  it('is off (503) when no ADMIN_TOKEN is configured', async () => {
    const { createApp } = await import('../../lib/app.js');
    const { loadConfig } = await import('../../lib/config.js');
    const config = loadConfig({ NODE_ENV: 'test' }, { adminToken: null });
    const app = createApp({ config, db: t.database.db, clock: t.clock, log: t.log });
    const res = await supertest(app.koa.callback()).get('/admin/v1/ledger/check').set('Authorization', 'Bearer anything-at-all-here').expect(503);
    assert.equal(res.body.code, 'admin_disabled');
  });
});
