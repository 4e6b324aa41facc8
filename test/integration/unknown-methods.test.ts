import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import supertest from 'supertest';
import { useTestApp } from '../helpers/test-app.js';
import { capturedLogLines } from '../helpers/log-capture.js';

/** The log lines of one request, by its id, with their pino levels (40 warn, 50 error). */
function linesOf(requestId: string): { level: number; msg: string }[] {
  return capturedLogLines.filter((line) => line.includes(requestId)).map((line) => JSON.parse(line) as { level: number; msg: string });
}

/** Issue #29: any method, on any route, without authentication, never answers 5xx nor logs above info. */
describe('methods a route does not serve', () => {
  const t = useTestApp({ demo: true });

  const ROUTES: [string, string[], 'json' | 'html'][] = [
    ['/api/v1/payments', ['GET', 'HEAD', 'POST'], 'json'],
    ['/api/v1/payments/pay_8k2m4q6s8u0w2y4a6c8e0g2j', ['GET', 'HEAD'], 'json'],
    ['/admin/v1/merchants', ['GET', 'HEAD', 'POST'], 'json'],
    ['/admin/v1/payouts/run', ['POST'], 'json'],
    ['/health', ['GET', 'HEAD'], 'json'],
    ['/api/v1/openapi.json', ['GET', 'HEAD'], 'json'],
    ['/docs', ['GET', 'HEAD'], 'json'],
    ['/office/login', ['GET', 'HEAD', 'POST'], 'html'],
    ['/lmi/payment', ['POST'], 'html'],
    ['/dev/sms', ['GET', 'HEAD'], 'html'],
    ['/demo', ['GET', 'HEAD'], 'html'],
  ];

  for (const method of ['TRACE', 'PROPFIND', 'PURGE', 'DELETE']) {
    it(`${method} on a route that serves other methods answers 405 with Allow, as problem+json on the APIs`, async () => {
      for (const [path, allowed, format] of ROUTES) {
        const res = await supertest(t.app.koa.callback())[method.toLowerCase() as 'get'](path).set('Authorization', 'Bearer nothing');
        assert.equal(res.status, 405, `${method} ${path}: ${res.status} ${res.text.slice(0, 200)}`);
        assert.deepEqual(res.headers.allow?.split(', ').sort(), allowed, `${method} ${path}: Allow`);
        if (format === 'json') {
          assert.equal(res.headers['content-type'], 'application/problem+json', `${method} ${path}`);
          assert.equal(res.body.code, 'method_not_allowed');
          assert.match(res.body.detail, new RegExp(allowed.join(', ')));
        } else {
          // no browser sends these: a page route answers as the pages do, or as problem+json
          assert.match(res.headers['content-type']!, /text\/html|application\/problem\+json/, `${method} ${path}`);
        }
        const lines = linesOf(res.headers['x-request-id']!);
        assert.ok(lines.length > 0 && lines.every((l) => l.level <= 30), `${method} ${path} logs at info at most: ${JSON.stringify(lines)}`);
      }
    });
  }

  it('an unknown path answers 404 whatever the method, never 5xx', async () => {
    for (const method of ['trace', 'propfind', 'purge', 'get']) {
      for (const path of ['/nothing/here', '/api/v1/nothing', '/admin/v1/nothing']) {
        const res = await supertest(t.app.koa.callback())[method as 'get'](path);
        assert.equal(res.status, 404, `${method} ${path}`);
        assert.equal(res.body.code, 'not_found');
        assert.ok(linesOf(res.headers['x-request-id']!).every((l) => l.level <= 30), `${method} ${path} logs at info at most`);
      }
    }
  });

  it('OPTIONS answers the methods of the route', async () => {
    const res = await supertest(t.app.koa.callback()).options('/api/v1/payments');
    assert.ok(res.status < 300, String(res.status));
    assert.deepEqual(res.headers.allow?.split(', ').sort(), ['GET', 'HEAD', 'POST']);
  });

  it('a made-up method never reaches a 5xx', async () => {
    const server = http.createServer(t.app.koa.callback()).listen(0, '127.0.0.1');
    try {
      await new Promise((resolve) => server.once('listening', resolve));
      const { port } = server.address() as AddressInfo;
      const status = await new Promise<number>((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port, method: 'FROBNICATE', path: '/api/v1/payments' }, (res) => (res.resume(), resolve(res.statusCode!)));
        req.on('error', reject);
        req.end();
      });
      assert.ok(status >= 400 && status < 500, String(status));
    } finally {
      server.close();
    }
  });
});
