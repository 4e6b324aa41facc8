import assert from 'node:assert/strict';
import supertest from 'supertest';
import { useTestApp } from '../helpers/test-app.js';
import { rememberSecret } from '../helpers/log-capture.js';
import { query } from '../../lib/store/db.js';
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
    const replay = await t.admin('post', `/admin/v1/wallets/${w.purse}/topups`).set('Idempotency-Key', 'topup-1').send({ amount: '150.5' }).expect(200);
    assert.equal(replay.body.transfer_id, first.body.transfer_id);
    assert.equal(replay.body.balance, '150.50');
    await t.admin('post', `/admin/v1/wallets/${w.purse}/topups`).send({ amount: '0.00' }).expect(400);
    await t.admin('post', `/admin/v1/wallets/${w.purse}/topups`).send({ amount: 10 }).expect(400);
    await t.admin('post', '/admin/v1/wallets/Z000000000999/topups').send({ amount: '1' }).expect(404);
    const shown = await t.admin('get', `/admin/v1/wallets/${w.purse}`).expect(200);
    assert.deepEqual([shown.body.balance, shown.body.available], ['150.50', '150.50']);
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
