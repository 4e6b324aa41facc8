import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { useTestApp } from '../helpers/test-app.js';
import { createTestMerchant } from '../helpers/merchant.js';
import { payNow } from '../helpers/payments.js';
import { Receiver } from '../helpers/receiver.js';
import { apiRoutes } from '../../lib/http/api/routes.js';
import { adminRoutes } from '../../lib/http/admin/routes.js';
import { MERCHANT_API } from '../../lib/http/docs/merchant-api.js';
import { ADMIN_API } from '../../lib/http/docs/admin-api.js';
import { GUIDES } from '../../lib/http/docs/guides.js';
import { WEBHOOK_EVENTS } from '../../lib/schemas/events.js';
import { generateClientTypes } from '../../clients/typescript/generate.js';
import { redocBundle, VENDORED } from '../../tools/redoc-bundle.js';
// the guides' own snippets, run here as a merchant would run them
import { verifyResult } from '../../docs/snippets/verify-result.mjs';
import { verifyWebhook } from '../../docs/snippets/verify-webhook.mjs';

const run = promisify(execFile);
const operationsOf = (router: { stack: { methods: string[]; path: string | RegExp }[] }) =>
  router.stack.flatMap((layer) => layer.methods.filter((m) => m !== 'HEAD').map((m) => `${m} ${layer.path}`)).sort();

/** Issue #20: the reference is generated from the validating schemas, complete, linted and usable. */
describe('the API reference (OpenAPI 3.1) and the guides', function () {
  this.timeout(120_000);
  const t = useTestApp();
  let dir: string;
  before(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'telepurse-openapi-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('both documents pass `redocly lint` (recommended rules) with no error and no warning', async () => {
    const merchant = (await t.http.get('/api/v1/openapi.json').expect(200)).body;
    const admin = (await t.http.get('/docs/admin/openapi.json').expect(200)).body;
    const files = [['merchant.json', merchant], ['admin.json', admin]].map(([name, doc]) => {
      const file = path.join(dir, name as string);
      writeFileSync(file, JSON.stringify(doc));
      return file;
    });
    for (const file of files) {
      const { stdout } = await run(path.resolve('node_modules/.bin/redocly'), ['lint', '--format=json', '--config', path.resolve('redocly.yaml'), file], {
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' }, maxBuffer: 20 * 1024 * 1024,
      }).catch((err: { stdout: string }) => ({ stdout: err.stdout }));
      const report = JSON.parse(stdout) as { totals: { errors: number; warnings: number }; problems: { message: string }[] };
      assert.deepEqual(report.totals, { errors: 0, warnings: 0, ignored: 0 }, `${path.basename(file)}: ${report.problems.slice(0, 5).map((p) => p.message).join('\n')}`);
    }
  });

  it('describes every route the server mounts, and no route it does not', () => {
    const described = (api: typeof MERCHANT_API) => api.operations.map((op) => `${op.method.toUpperCase()} ${api.basePath}${op.path}`).sort();
    assert.deepEqual(described(MERCHANT_API), operationsOf(apiRoutes(t.app.deps)));
    assert.deepEqual(described(ADMIN_API), operationsOf(adminRoutes(t.app.deps)));
  });

  it('every example parses with the schema it illustrates, and every operation is explained', () => {
    for (const api of [MERCHANT_API, ADMIN_API]) {
      for (const op of api.operations) {
        const name = `${op.method} ${op.path}`;
        assert.ok(op.summary && op.description.length >= 10 && api.tags.some((tag) => tag.name === op.tag), `${name} is explained`);
        if (op.body) {
          assert.ok(op.bodyExample !== undefined, `${name} has a request example`);
          const parsed = op.body.safeParse(op.bodyExample);
          assert.ok(parsed.success, `${name} request example: ${JSON.stringify(parsed.error?.issues)}`);
        }
        if (op.answer.schema) {
          const parsed = op.answer.schema.safeParse(op.answer.example);
          assert.ok(parsed.success, `${name} answer example: ${JSON.stringify(parsed.error?.issues)}`);
        } else {
          assert.ok(op.answer.csv || op.answer.status === 204, `${name} says what it answers`);
        }
      }
    }
  });

  it('has a webhooks section with every event, the Result notification and the pre-request; dates are date-time, amounts have a pattern', async () => {
    const doc = (await t.http.get('/api/v1/openapi.json').expect(200)).body;
    assert.deepEqual(Object.keys(doc.webhooks).sort(), [...Object.keys(WEBHOOK_EVENTS), 'notification.dead', 'prerequest', 'result'].sort());
    const payment = doc.components.schemas.Payment;
    assert.equal(payment.properties.created_at.format, 'date-time');
    assert.equal(payment.properties.amount.pattern, '^-?\\d+\\.\\d{2}$');
    const create = doc.paths['/payments'].post;
    assert.equal(create.requestBody.content['application/json'].schema.properties.amount.pattern, '^(0|[1-9][0-9]{0,12})(?:\\.([0-9]{1,2}))?$', 'no leading zeros, as parseAmount');
    assert.ok(create.responses['409'].content['application/problem+json'].examples.no_wallet, 'each error code has its example');
    assert.ok(create.parameters.some((p: { name: string; in: string }) => p.name === 'Idempotency-Key' && p.in === 'header'));
    assert.deepEqual(doc.components.securitySchemes.apiKey, { type: 'http', scheme: 'bearer', description: MERCHANT_API.security.description });
    const list = doc.paths['/payments'].get;
    for (const p of list.parameters) assert.ok(p.description, `query parameter ${p.name} is described`);
  });

  // issue #29: a strict generated client broke on each of these
  it('documents what the shared middleware answers, every member of a problem, replayed nulls, and requests as strict as the server', async () => {
    const merchant = (await t.http.get('/api/v1/openapi.json').expect(200)).body;
    const admin = (await t.http.get('/docs/admin/openapi.json').expect(200)).body;
    type Op = { parameters?: { name: string; in: string; schema: { pattern?: string } }[]; responses: Record<string, { content?: Record<string, { examples?: Record<string, unknown> }> }> };
    const opsOf = (doc: { paths: Record<string, Record<string, Op>> }) => Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ name: `${method} ${path}`, method, op })));
    for (const { name, op } of opsOf(merchant)) assert.ok(op.responses['429']?.content?.['application/problem+json']?.examples?.rate_limited, `${name}: 429 rate_limited`);
    for (const { name, method, op } of [...opsOf(merchant), ...opsOf(admin)].filter((o) => o.method === 'post')) {
      const header = op.parameters?.find((p) => p.name === 'Idempotency-Key' && p.in === 'header');
      assert.equal(header?.schema.pattern, '^[\\x21-\\x7e]{1,255}$', `${name}: Idempotency-Key is visible ASCII`);
      assert.ok(op.responses['422']?.content?.['application/problem+json']?.examples?.idempotency_key_reused, `${name} (${method}): 422 idempotency_key_reused`);
      assert.ok(op.responses['409']?.content?.['application/problem+json']?.examples?.idempotency_key_in_flight, `${name}: 409 idempotency_key_in_flight`);
    }
    for (const doc of [merchant, admin]) {
      const problem = doc.components.schemas.Problem;
      for (const member of ['payment_status', 'refundable', 'payment_id', 'tries_left', 'retry_after']) assert.ok(problem.properties[member], `Problem.${member}`);
    }
    const nullable = (schema: { type?: string | string[]; anyOf?: { type: string }[] }) => (Array.isArray(schema.type) ? schema.type.includes('null') : schema.anyOf?.some((s) => s.type === 'null'));
    for (const [doc, object, member] of [[merchant, 'CreatedShop', 'secret_key'], [merchant, 'CreatedShop', 'webhook_secret'], [merchant, 'ShopWithNewSecret', 'secret_key'], [merchant, 'CreatedApiKey', 'key'],
      [admin, 'CreatedMerchant', 'api_key'], [admin, 'CreatedMerchant', 'secret_key'], [admin, 'CreatedMerchant', 'webhook_secret'], [admin, 'CreatedUser', 'setup_url']] as const) {
      assert.ok(nullable(doc.components.schemas[object].properties[member]), `${object}.${member} is null in a replay`);
    }
    const body = (doc: typeof merchant, path: string, method: string) => doc.paths[path][method].requestBody.content['application/json'].schema;
    assert.equal(body(merchant, '/shops/{id}', 'patch').minProperties, 1);
    assert.equal(body(admin, '/merchants/{id}', 'patch').minProperties, 1);
    assert.equal(body(admin, '/shops/{id}', 'patch').minProperties, 1);
    assert.equal(body(merchant, '/payments/{id}/confirm', 'post').properties.code.pattern, '^\\d{4,8}$');
    assert.deepEqual(body(merchant, '/payments', 'post').dependentRequired, { send: ['phone'] });
    assert.match(JSON.stringify(body(merchant, '/payments', 'post').properties.result_url), /"pattern":"\^\[Hh\]\[Tt\]\[Tt\]\[Pp\]\[Ss\]\?:/);
    assert.match(JSON.stringify(body(admin, '/payouts/{id}/paid', 'post').properties.reference), /u0000-\\\\u001f/);
  });

  it('serves the reference pages and every guide', async () => {
    const reference = await t.http.get('/docs/api').expect(200);
    assert.match(reference.text, /data-spec-url="\/api\/v1\/openapi.json"/);
    assert.match(reference.text, /<script src="\/assets\/redoc.standalone.js" defer>/);
    assert.match((await t.http.get('/docs/admin').expect(200)).text, /data-spec-url="\/docs\/admin\/openapi.json"/);
    const bundle = await t.http.get('/assets/redoc.standalone.js').expect(200);
    assert.match(bundle.headers['content-type']!, /javascript/);
    for (const guide of GUIDES) {
      const page = await t.http.get(`/docs/guides/${guide.slug}`).expect(200);
      assert.ok(page.text.includes(guide.title), guide.slug);
    }
    await t.http.get('/docs/guides/nothing').expect(404);
  });

  it("the guides' snippets verify a real Result notification and a real webhook", async () => {
    const receiver = await new Receiver().start();
    try {
      const merchant = await createTestMerchant(t, { result_url: receiver.url('/result') });
      const shop = (await t.admin('get', `/admin/v1/merchants/${merchant.id}`)).body.shop_id as string;
      await t.admin('patch', `/admin/v1/shops/${shop}`).send({ webhook_url: receiver.url('/hook') }).expect(200);
      await payNow(t, merchant, '4.50', { payment_no: 77 }, { balance: '20.00', notified: true });

      const result = receiver.requests.find((r) => r.path === '/result')!;
      const fields = Object.fromEntries(new URLSearchParams(result.body));
      assert.equal(verifyResult(fields, merchant.secretKey), true);
      assert.equal(verifyResult({ ...fields, LMI_PAYMENT_AMOUNT: '45.00' }, merchant.secretKey), false, 'a changed amount fails');
      assert.equal(verifyResult(fields, 'another-secret'), false);

      const hook = receiver.requests.find((r) => r.path === '/hook')!;
      const now = Number(hook.headers['webhook-timestamp']) * 1000;
      assert.equal(verifyWebhook(hook.headers, hook.body, merchant.webhookSecret, { now }), true);
      assert.equal(verifyWebhook(hook.headers, hook.body.replace('4.50', '0.01'), merchant.webhookSecret, { now }), false);
      assert.equal(verifyWebhook(hook.headers, hook.body, merchant.webhookSecret, { now: now + 3_600_000 }), false, 'too old');
    } finally {
      await receiver.stop();
    }
  });

  it('the committed TypeScript types of the client are what openapi-typescript makes of the document today', async () => {
    const committed = readFileSync(new URL('../../clients/typescript/api.d.ts', import.meta.url), 'utf8');
    assert.equal(committed, await generateClientTypes(), 'run npm run client:generate and commit clients/typescript/api.d.ts');
  });

  it('serves the committed Redoc bundle, which is the installed redoc package\'s own (logo made local)', async () => {
    const committed = readFileSync(VENDORED, 'utf8');
    assert.ok(committed === redocBundle().body, 'run npm run redoc:vendor and commit lib/http/assets/redoc.standalone.js');
    assert.ok((await t.http.get('/assets/redoc.standalone.js').expect(200)).text === committed, 'the served bundle is the committed one');
  });
});
