import assert from 'node:assert/strict';
import { useTestApp } from '../helpers/test-app.js';
import { createApp } from '../../lib/app.js';
import { connect } from '../../lib/postgres/db.js';
import { ManualClock } from '../helpers/clock.js';
import { captureLogger, capturedLogLines } from '../helpers/log-capture.js';
import supertest from 'supertest';

describe('HTTP basics', () => {
  const t = useTestApp();

  it('answers /health', async () => {
    const res = await t.http.get('/health').expect(200);
    assert.deepEqual(res.body, { status: 'ok' });
  });

  it('answers /ready when the database answers', async () => {
    const res = await t.http.get('/ready').expect(200);
    assert.equal(res.body.status, 'ready');
  });

  it('answers /ready with 503 when the database does not', async () => {
    const deadDb = connect('postgres://postgres@127.0.0.1:1/none', 1, captureLogger());
    const app = createApp({ config: t.config, db: deadDb, clock: new ManualClock(), log: captureLogger() });
    try {
      const res = await supertest(app.koa.callback()).get('/ready').expect(503);
      assert.equal(res.headers['content-type'], 'application/problem+json');
      assert.equal(res.body.code, 'not_ready');
    } finally {
      await deadDb.destroy();
    }
  });

  it('gives every response a request id, and keeps a sane incoming one', async () => {
    const fresh = await t.http.get('/health');
    assert.match(fresh.headers['x-request-id']!, /^[0-9a-f-]{36}$/);
    const kept = await t.http.get('/health').set('X-Request-Id', 'merchant-trace-0001');
    assert.equal(kept.headers['x-request-id'], 'merchant-trace-0001');
    const replaced = await t.http.get('/health').set('X-Request-Id', 'bad id with spaces');
    assert.notEqual(replaced.headers['x-request-id'], 'bad id with spaces');
  });

  it('answers unknown routes with a 404 problem', async () => {
    const res = await t.http.get('/no/such/thing').expect(404);
    assert.equal(res.headers['content-type'], 'application/problem+json');
    assert.equal(res.body.code, 'not_found');
    assert.equal(res.body.status, 404);
    assert.equal(res.body.request_id, res.headers['x-request-id']);
  });

  it('answers a wrong method with 405', async () => {
    const res = await t.http.delete('/health').expect(405);
    assert.equal(res.body.code, 'method_not_allowed');
  });

  it('answers malformed JSON with a 400 problem', async () => {
    const res = await t.admin('post', '/admin/v1/wallets').set('Content-Type', 'application/json').send('{"currency":').expect(400);
    assert.equal(res.body.code, 'invalid_request');
  });

  it('refuses bodies over the size limit with 413', async () => {
    const res = await t.admin('post', '/admin/v1/wallets').send({ currency: 'USD', pad: 'x'.repeat(300_000) }).expect(413);
    assert.equal(res.body.code, 'payload_too_large');
  });

  it('turns an unexpected error into a bare 500 with the request id, details only in the log', async () => {
    t.app.koa.use(async (ctx, next) => {
      if (ctx.path === '/test-only/boom') throw new Error('secret internal detail');
      await next();
    });
    const res = await supertest(t.app.koa.callback()).get('/test-only/boom').expect(500);
    assert.equal(res.body.code, 'internal_error');
    assert.ok(!JSON.stringify(res.body).includes('secret internal detail'));
    const requestId = res.headers['x-request-id']!;
    assert.ok(res.body.detail.includes(requestId));
    assert.ok(capturedLogLines.some((line) => line.includes('secret internal detail') && line.includes(requestId)));
  });

  it('exposes Prometheus metrics with request counts and latencies by route', async () => {
    await t.http.get('/health');
    const res = await t.http.get('/metrics').expect(200);
    assert.match(res.headers['content-type']!, /text\/plain/);
    assert.match(res.text, /http_requests_total\{method="GET",route="\/health",status="200"\} \d+/);
    assert.match(res.text, /http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/health",status="200"\}/);
  });
});
