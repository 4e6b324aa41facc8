import assert from 'node:assert/strict';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { useTestApp } from '../helpers/test-app.js';
import { api, createTestMerchant, type TestMerchant } from '../helpers/merchant.js';
import { payNow } from '../helpers/payments.js';
import { fundedWallet, phone } from '../helpers/builders.js';
import * as ex from '../../lib/http/docs/examples.js';

type Schema = Record<string, unknown>;
type Parameter = { name: string; in: 'path' | 'query' | 'header'; required?: boolean; example?: unknown; schema: Schema };
type Media = { schema?: Schema; example?: unknown };
type Operation = { operationId: string; parameters?: Parameter[]; requestBody?: { content: Record<string, Media> }; responses: Record<string, { content?: Record<string, Media> }> };
type Document = { servers: { url: string }[]; paths: Record<string, Record<string, Operation>> };

// ajv-formats is CommonJS: its function is the default export under tsx, or .default of it
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;
const pointer = (...segments: string[]) => segments.map((s) => s.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
const exampleOf = (p: Parameter) => p.example ?? p.schema.example;

/**
 * Issue #29: every request example of both OpenAPI documents, sent to a running app with a seeded
 * merchant, shop, buyer, payment, notification, second API key and payout (the examples' ids mapped to
 * theirs); each answer's status must be documented for the operation, and its content type and body
 * must be what the document says for that status (JSON Schema 2020-12, as OpenAPI 3.1 writes it).
 */
describe('every documented example, replayed against the service', function () {
  this.timeout(60_000);
  const t = useTestApp();
  let merchant: TestMerchant;
  const real = new Map<unknown, unknown>();

  before(async () => {
    merchant = await createTestMerchant(t, { result_url: 'http://127.0.0.1:9/result' });
    const shopId = (await t.admin('get', `/admin/v1/merchants/${merchant.id}`).expect(200)).body.shop_id as string;
    await t.admin('patch', `/admin/v1/merchants/${merchant.id}`).send({ payout_delay_days: 0 }).expect(200);
    // the documented phone, so the examples' payer is this buyer
    const buyer = { ...await fundedWallet({ db: t.database.db, clock: t.clock }, { balance: '1000.00', phone: phone('+79031234567') }), phone: phone('+79031234567') };
    const { payment: paid } = await payNow(t, merchant, '12.08', { payment_no: 7, phone: '+79031234567' }, { buyer, notified: true });
    const notification = (await api(t, merchant).get(`/payments/${paid.id}/notifications`).expect(200)).body.data[0];
    const key = (await api(t, merchant).post('/api_keys', { name: 'to be revoked' }).expect(201)).body;
    const payout = (await api(t, merchant).post('/payouts', { purse: merchant.purse }).expect(201)).body;
    for (const [example, value] of [[ex.PAYMENT_ID, paid.id], [ex.SHOP_ID, shopId], [ex.MERCHANT_ID, merchant.id], [ex.PURSE, merchant.purse], [ex.PAYER_PURSE, buyer.purse],
      [ex.notification.id, notification.id], [ex.apiKey.id, key.id], [ex.payout.id, payout.id]] as const) real.set(example, value);
  });

  for (const [name, url] of [['merchant', '/api/v1/openapi.json'], ['operator', '/docs/admin/openapi.json']] as const) {
    it(`the ${name} API answers each of its examples as its document says`, async () => {
      const doc = (await t.http.get(url).expect(200)).body as Document;
      const ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
      ajv.addSchema(doc as unknown as Schema, 'doc');
      const validate = (at: string[], value: unknown) => {
        const check = ajv.compile({ $ref: `doc#/${pointer(...at)}` });
        return check(value) ? undefined : ajv.errorsText(check.errors, { dataVar: 'body' });
      };
      const base = new URL(doc.servers[0]!.url).pathname;
      const auth = name === 'merchant' ? `Bearer ${merchant.apiKey}` : `Bearer ${t.config.adminToken}`;
      const substitute = (value: unknown): unknown =>
        (real.has(value) ? real.get(value) : Array.isArray(value) ? value.map(substitute) : value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v)])) : value);
      const faults: string[] = [];
      const seen: Record<string, number> = {};

      for (const [path, item] of Object.entries(doc.paths)) {
        for (const [method, op] of Object.entries(item)) {
          const where = `${method.toUpperCase()} ${path}`;
          const params = op.parameters ?? [];
          const missing = params.filter((p) => (p.in === 'path' || p.required) && exampleOf(p) === undefined).map((p) => p.name);
          const bodyMedia = op.requestBody?.content['application/json'];
          if (missing.length || (bodyMedia && bodyMedia.example === undefined)) {
            faults.push(`${where}: no example for ${[...missing, ...(bodyMedia && bodyMedia.example === undefined ? ['the body'] : [])].join(', ')}`);
            continue;
          }
          // the examples themselves are what the document asks for
          for (const [i, p] of params.entries()) {
            const fault = exampleOf(p) === undefined ? undefined : validate(['paths', path, method, 'parameters', String(i), 'schema'], exampleOf(p));
            if (fault) faults.push(`${where}: the example of ${p.name} is not valid: ${fault}`);
          }
          if (bodyMedia) {
            const fault = validate(['paths', path, method, 'requestBody', 'content', 'application/json', 'schema'], bodyMedia.example);
            if (fault) faults.push(`${where}: the request example is not valid: ${fault}`);
          }

          let target = path.replace(/\{(\w+)\}/g, (_m, n: string) => encodeURIComponent(String(substitute(exampleOf(params.find((p) => p.in === 'path' && p.name === n)!)))));
          const query = params.filter((p) => p.in === 'query' && exampleOf(p) !== undefined).map((p) => `${p.name}=${encodeURIComponent(String(substitute(exampleOf(p))))}`);
          if (query.length) target += `?${query.join('&')}`;
          const key = params.find((p) => p.in === 'header' && p.name === 'Idempotency-Key');
          const send = () => {
            const request = (t.http as unknown as Record<string, (u: string) => import('supertest').Test>)[method]!(`${base}${target}`).set('Authorization', auth);
            if (key) request.set('Idempotency-Key', `${String(exampleOf(key))}-${op.operationId}`);
            return bodyMedia ? request.send(substitute(bodyMedia.example) as object) : request;
          };
          const first = await send();
          seen[first.status] = (seen[first.status] ?? 0) + 1;
          // with the same Idempotency-Key, the stored answer comes back (secrets as null): documented too
          for (const res of key ? [first, await send()] : [first]) {
            const answer = `${where} → ${res.status}${res.headers['idempotent-replayed'] ? ' (replayed)' : ''} ${String(res.text).slice(0, 300)}`;
            const documented = op.responses[String(res.status)];
            if (!documented) {
              faults.push(`${answer}: ${res.status} is not documented for this operation`);
              continue;
            }
            const type = String(res.headers['content-type'] ?? '').split(';')[0]!.trim();
            if (!documented.content) {
              if (res.text) faults.push(`${answer}: documented without a body`);
              continue;
            }
            const media = documented.content[type];
            if (!media) {
              faults.push(`${answer}: content type ${type}, documented ${Object.keys(documented.content).join(', ')}`);
              continue;
            }
            if (type === 'text/csv') {
              if (res.text.split('\r\n')[0] !== String(media.example).split('\r\n')[0]) faults.push(`${answer}: CSV columns differ from the documented ones`);
              continue;
            }
            const fault = validate(['paths', path, method, 'responses', String(res.status), 'content', type, 'schema'], res.body);
            if (fault) faults.push(`${answer}: ${fault}`);
          }
        }
      }
      assert.deepEqual(faults, [], `${faults.length} answers differ from the ${name} document:\n${faults.join('\n')}`);
      // the seeded data makes most examples succeed: a replay that only met 404s would prove little
      const ok = Object.entries(seen).filter(([status]) => Number(status) < 300).reduce((n, [, count]) => n + count, 0);
      const all = Object.values(seen).reduce((n, count) => n + count, 0);
      assert.ok(ok >= all / 2, `only ${ok} of ${all} examples succeeded: ${JSON.stringify(seen)}`);
      console.log(`      ${name}: ${all} examples, answered ${JSON.stringify(seen)}`);
    });
  }
});
