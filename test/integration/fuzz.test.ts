import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { z } from 'zod';
import type supertest from 'supertest';
import { useTestApp } from '../helpers/test-app.js';
import { createTestMerchant, type TestMerchant } from '../helpers/merchant.js';
import { assertLedgerClean, payNow } from '../helpers/payments.js';
import { MERCHANT_API } from '../../lib/http/docs/merchant-api.js';
import { paymentObject, refundObject } from '../../lib/schemas/objects.js';

// `npm test` runs a few hundred requests; FUZZ_RUNS=10000 is the full run. FUZZ_SEED replays a failure.
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

const HOSTILE = [
  '\u0000', 'a\u0000b', '\uD800', '\uDFFF\uD800', 'x'.repeat(10_240), '\u202Eevil\u202C', '\u2066\u2069', "' or 1=1 --", "'; drop table payments; --",
  '<%= it.secret %>', '<%~ process.kill(process.pid) %>', '${7*7}', '{{7*7}}', '<script>alert(1)</script>', '../../etc/passwd', '%00', '%', '\\', '"',
  '1e309', '-1', '-0', '0', '0.001', '1.005', '99999999999999999999999999', '9007199254740993', 'NaN', 'Infinity', '0x10', '1_000', ' 12.08 ', '12,08',
  '+7 903 123-45-67', '+0', 'tp_live_x', 'pay_', 'pay_000000000000000000000000', 'Z000000000001', 'mch_', 'shp_', 'po_', '\n', '\r\n', '\t', '',
];

/** Percent-encodes any string, lone surrogates included (they become U+FFFD, as a browser sends them). */
function enc(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
}

function deepJson(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

const scalar = fc.oneof(
  fc.constantFrom(...HOSTILE),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map((b) => Number(b)),
);
const value = fc.oneof(
  { weight: 6, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), scalar, { maxKeys: 4 }) },
  { weight: 1, arbitrary: fc.constant(deepJson(50)) },
);

type Target = { method: 'get' | 'post' | 'patch' | 'delete'; path: string; keys: string[]; kind: 'api' | 'admin' | 'form' };

/** Every JSON API operation of the OpenAPI document, every admin route and every form route. */
function targets(): Target[] {
  const keysOf = (s?: z.ZodType) => Object.keys(((s as unknown as { shape?: Record<string, unknown> })?.shape) ?? {});
  const api: Target[] = MERCHANT_API.operations.map((op) => ({ method: op.method, path: `/api/v1${op.path}`, keys: [...keysOf(op.body), ...keysOf(op.query)], kind: 'api' }));
  const admin: Target[] = [
    ['post', '/merchants', ['name', 'currency', 'mode', 'result_url', 'webhook_url', 'allowed_hosts', 'hash_method', 'capture']],
    ['post', '/wallets', ['currency', 'mode', 'phone']], ['post', '/wallets/:purse/topups', ['amount']], ['get', '/wallets/:purse', []],
    ['get', '/messages', ['payment_id', 'phone', 'limit']], ['get', '/merchants', ['limit', 'cursor']], ['get', '/merchants/:id', []],
    ['patch', '/merchants/:id', ['name', 'status', 'payout_schedule', 'payout_minimum', 'payout_delay_days', 'payout_account']],
    ['post', '/payments/:id/refunds', ['amount', 'phone']], ['post', '/merchants/:id/shops', ['name', 'currency', 'alerts', 'methods']],
    ['post', '/merchants/:id/users', ['email', 'role']], ['get', '/shops/:id', []], ['patch', '/shops/:id', ['name', 'fee', 'alerts', 'status', 'lang']],
    ['get', '/fees', ['currency', 'mode']], ['get', '/payouts', ['status', 'merchant_id', 'limit', 'cursor']], ['get', '/payouts.csv', ['status']],
    ['post', '/payouts/:id/paid', ['reference']], ['post', '/payouts/:id/failed', ['reason']], ['get', '/limits', []], ['post', '/limits/phones/:phone/lift', ['mode']],
  ].map(([method, path, keys]) => ({ method: method as Target['method'], path: `/admin/v1${path as string}`, keys: keys as string[], kind: 'admin' as const }));
  const forms: Target[] = [
    ['post', '/lmi/payment', ['LMI_PAYEE_PURSE', 'LMI_PAYMENT_AMOUNT', 'LMI_PAYMENT_NO', 'LMI_PAYMENT_DESC', 'LMI_HASH', 'LMI_SIM_MODE', 'LMI_LANG', 'LMI_RESULT_URL']],
    ['get', '/pay/:id', ['step', 'lang']], ['post', '/pay/:id/phone', ['phone', 'csrf']], ['post', '/pay/:id/code', ['code', 'csrf']],
    ['post', '/pay/:id/resend', ['csrf']], ['post', '/pay/:id/cancel', ['csrf']], ['get', '/l/:token', []], ['post', '/office/login', ['_csrf', 'email', 'password']],
    ['get', '/office/setup/:token', []], ['get', '/office/login', ['lang']], ['get', '/alerts/confirm/:token', []], ['post', '/alerts/confirm/:token', ['csrf']],
  ].map(([method, path, keys]) => ({ method: method as Target['method'], path: path as string, keys: keys as string[], kind: 'form' as const }));
  return [...api, ...admin, ...forms];
}

describe(`fuzzing every operation from the contract (${RUNS} requests, seed ${SEED})`, function () {
  this.timeout(300_000);
  const t = useTestApp();
  let merchant: TestMerchant;
  let real: Record<string, string>;

  before(async () => {
    merchant = await createTestMerchant(t, { webhook_url: 'http://127.0.0.1:9/hooks' });
    const { payment: p, buyer } = await payNow(t, merchant, '5.00', {}, { balance: '1000.00' });
    const shop = (await t.admin('get', `/admin/v1/merchants/${merchant.id}`)).body.shop_id;
    real = { id: p.id, purse: merchant.purse, phone: `+${buyer.phone}`, shop, merchant: merchant.id, token: 'abcdefghjk' };
    console.log(`      fuzz seed ${SEED} (replay: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS})`);
  });

  it('answers every request below 500, every 4xx as problem+json (or a readable page for forms), every 2xx in the documented shape, and the ledger stays right', async () => {
    const all = targets();
    const request = fc.record({
      target: fc.constantFrom(...all),
      pathValue: fc.oneof(fc.constantFrom('real', 'real'), scalar.map((v) => enc(String(v)).slice(0, 900) || 'x')),
      fields: fc.array(fc.tuple(fc.nat(), value), { maxLength: 6 }),
      raw: fc.oneof({ weight: 8, arbitrary: fc.constant(undefined) }, fc.constantFrom('{"a":', '\xff\xfe', '[1,2', 'null', '"x"', '{"amount":1e400}', 'a=1&a=2', '%ZZ', `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`, `${'['.repeat(20000)}${']'.repeat(20000)}`)),
    });
    const failures: string[] = [];
    await fc.assert(
      fc.asyncProperty(request, async ({ target, pathValue, fields, raw }) => {
        const path = target.path.replace(/:(\w+)/g, (_m, name: string) => (pathValue === 'real' ? (real[name === 'id' && target.path.includes('shops') ? 'shop' : name === 'id' && target.path.includes('merchants') ? 'merchant' : name] ?? 'x') : pathValue));
        const body: Record<string, unknown> = {};
        for (const [i, v] of fields) body[target.keys.length ? target.keys[i % target.keys.length]! : `k${i}`] = v;
        const res = await send(target, path, body, raw);
        const ok = checkAnswer(target, res);
        if (ok) failures.push(`${target.method.toUpperCase()} ${path.slice(0, 120)} → ${res.status}: ${ok} ${String(res.text).slice(0, 200)}`);
        return !ok;
      }),
      { numRuns: RUNS, seed: SEED, verbose: 1, endOnFailure: true },
    ).catch((err) => {
      throw new Error(`${failures.slice(0, 3).join('\n')}\n${(err as Error).message.slice(0, 2000)}`);
    });
    await assertLedgerClean(t);
  });

  async function send(target: Target, path: string, body: Record<string, unknown>, raw: string | undefined): Promise<supertest.Response> {
    const base = t.http[target.method](path);
    if (target.kind === 'api') base.set('Authorization', `Bearer ${merchant.apiKey}`);
    if (target.kind === 'admin') base.set('Authorization', `Bearer ${t.config.adminToken}`);
    if (target.method === 'get' || target.method === 'delete') {
      const query = Object.entries(body).map(([k, v]) => `${enc(k)}=${enc(typeof v === 'object' ? JSON.stringify(v) : String(v))}`).join('&');
      return target.method === 'get' ? t.http.get(`${path}${query ? `?${query.slice(0, 4000)}` : ''}`).set(base.get('Authorization') ? { Authorization: base.get('Authorization')! } : {}) : base;
    }
    if (raw !== undefined) return base.set('Content-Type', target.kind === 'form' ? 'application/x-www-form-urlencoded' : 'application/json').send(Buffer.from(raw, 'latin1'));
    if (target.kind === 'form') {
      const form = Object.entries(body).map(([k, v]) => `${enc(k)}=${enc(typeof v === 'object' ? JSON.stringify(v) : String(v))}`).join('&');
      return base.type('form').send(form);
    }
    return base.set('Content-Type', 'application/json').send(JSON.stringify(body, (_k, v) => (typeof v === 'bigint' ? String(v) : v)));
  }

  /** Why an answer breaks the contract, or undefined. */
  function checkAnswer(target: Target, res: supertest.Response): string | undefined {
    const type = String(res.headers['content-type'] ?? '');
    if (res.status >= 500) return 'a 5xx';
    if (res.status >= 400) {
      if (target.kind === 'form') return /text\/html|problem\+json/.test(type) ? undefined : `a ${res.status} of type ${type}`;
      return /application\/problem\+json/.test(type) && typeof res.body.code === 'string' ? undefined : `a ${res.status} that is not problem+json`;
    }
    if (target.kind === 'api' && res.status < 300 && target.method === 'post' && target.path === '/api/v1/payments/:id/refunds') {
      const parsed = refundObject.safeParse(res.body);
      return parsed.success ? undefined : `a 2xx not in the documented refund shape: ${parsed.error.issues[0]?.message}`;
    }
    if (target.kind === 'api' && res.status < 300 && /^\/api\/v1\/payments(\/pay_[0-9a-z]{24})?(\/(confirm|cancel|capture|void|phone|resend))?$/.test(target.path.replace(':id', 'pay_000000000000000000000000')) && target.method !== 'get') {
      const parsed = paymentObject.safeParse(res.body);
      return parsed.success ? undefined : `a 2xx not in the documented payment shape: ${parsed.error.issues[0]?.message}`;
    }
    return undefined;
  }
});
