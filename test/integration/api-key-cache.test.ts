import assert from 'node:assert/strict';
import supertest from 'supertest';
import { useTestApp } from '../helpers/test-app.js';
import { createTestMerchant } from '../helpers/merchant.js';
import { rememberSecret } from '../helpers/log-capture.js';
import { createApp, type App } from '../../lib/app.js';
import { loadConfig, ConfigError } from '../../lib/config.js';

/**
 * Issue 23: an instance trusts an API key lookup for API_KEY_CACHE_MS (1 s). These tests run two
 * instances on one database and one clock: the one that revokes or suspends refuses at once, the
 * other within the bound, never later.
 */
describe('API key cache: a revoked key or a suspended merchant is refused within 1 s on every instance', () => {
  const t = useTestApp();
  let other: App;
  before(() => {
    other = createApp({ config: t.config, db: t.database.db, clock: t.clock, log: t.log });
  });
  after(async () => {
    await other.stop();
  });

  const on = (app: App, key: string) => ({
    get: (path: string) => supertest(app.koa.callback()).get(`/api/v1${path}`).set('Authorization', `Bearer ${key}`),
    del: (path: string) => supertest(app.koa.callback()).delete(`/api/v1${path}`).set('Authorization', `Bearer ${key}`),
    post: (path: string, body: object) => supertest(app.koa.callback()).post(`/api/v1${path}`).set('Authorization', `Bearer ${key}`).send(body),
  });

  it('a key revoked on one instance: refused there at once, on the other after at most 1 s', async () => {
    const merchant = await createTestMerchant(t);
    const created = await on(t.app, merchant.apiKey).post('/api_keys', { name: 'second' }).expect(201);
    rememberSecret(created.body.key);
    // the other instance has looked the second key up: it is in its cache now
    await on(other, created.body.key).get('/balance').expect(200);

    await on(t.app, merchant.apiKey).del(`/api_keys/${created.body.id}`).expect(204);
    const here = await on(t.app, created.body.key).get('/balance').expect(401);
    assert.equal(here.body.code, 'unauthorized');

    t.clock.advance(999);
    await on(other, created.body.key).get('/balance').expect(200); // the documented bound: less than 1 s stale
    t.clock.advance(1);
    const there = await on(other, created.body.key).get('/balance').expect(401);
    assert.equal(there.body.code, 'unauthorized');
  });

  it('a merchant suspended by the operator: its keys get 403 on every instance within 1 s, and work again when it is active', async () => {
    const merchant = await createTestMerchant(t);
    await on(other, merchant.apiKey).get('/balance').expect(200);
    await t.admin('patch', `/admin/v1/merchants/${merchant.id}`).send({ status: 'suspended' }).expect(200);
    assert.equal((await on(t.app, merchant.apiKey).get('/balance').expect(403)).body.code, 'merchant_suspended');
    t.clock.advance(1000);
    assert.equal((await on(other, merchant.apiKey).get('/balance').expect(403)).body.code, 'merchant_suspended');

    await t.admin('patch', `/admin/v1/merchants/${merchant.id}`).send({ status: 'active' }).expect(200);
    await on(t.app, merchant.apiKey).get('/balance').expect(200);
    t.clock.advance(1000);
    await on(other, merchant.apiKey).get('/balance').expect(200);
  });

  it('a key created on one instance works on the other at once (an unknown key is never cached)', async () => {
    const merchant = await createTestMerchant(t);
    const fresh = 'tp_live_' + 'A'.repeat(32);
    await on(other, fresh).get('/balance').expect(401);
    const created = await on(t.app, merchant.apiKey).post('/api_keys', { name: 'third' }).expect(201);
    rememberSecret(created.body.key);
    await on(other, created.body.key).get('/balance').expect(200);
  });

  it('API_KEY_CACHE_MS above 1000 is refused at start, naming the setting', () => {
    assert.throws(() => loadConfig({ NODE_ENV: 'test', API_KEY_CACHE_MS: '1500' }), (err: Error) => err instanceof ConfigError && /API_KEY_CACHE_MS|apiKeyCacheMs/.test(err.message) && /1000/.test(err.message));
    assert.equal(loadConfig({ NODE_ENV: 'test', API_KEY_CACHE_MS: '0' }).apiKeyCacheMs, 0);
  });
});
