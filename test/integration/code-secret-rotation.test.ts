import assert from 'node:assert/strict';
import supertest from 'supertest';
import { useTestApp } from '../helpers/test-app.js';
import { createTestMerchant, createBuyer, type TestMerchant } from '../helpers/merchant.js';
import { rememberCode } from '../helpers/log-capture.js';
import { createApp, type App } from '../../lib/app.js';
import { loadConfig } from '../../lib/config.js';

const A = 'code-secret-A-0123456789abcdef';
const B = 'code-secret-B-0123456789abcdef';

/**
 * Issue 29: CODE_SECRET rotates across instances. An instance with CODE_SECRET=B and
 * CODE_SECRET_PREVIOUS=A (or, in the first phase, CODE_SECRET=A and CODE_SECRET_NEXT=B) accepts the
 * codes and CSRF tokens the other made; codes and tokens it makes come from CODE_SECRET alone.
 */
describe('CODE_SECRET rotation: instances with the old and the new secret accept each other\'s codes', () => {
  const t = useTestApp({ config: { codeSecret: A } });
  const apps: App[] = [];
  const instance = (overrides: Record<string, unknown>) => {
    const app = createApp({ config: loadConfig({ NODE_ENV: 'test' }, overrides), db: t.database.db, clock: t.clock, log: t.log });
    apps.push(app);
    return app;
  };
  let onlyA: App;
  let newWithPrevious: App;
  let oldWithNext: App;
  let onlyB: App;
  before(() => {
    onlyA = t.app;
    newWithPrevious = instance({ codeSecret: B, codeSecretPrevious: A });
    oldWithNext = instance({ codeSecret: A, codeSecretNext: B });
    onlyB = instance({ codeSecret: B });
  });
  after(async () => {
    for (const app of apps) await app.stop();
  });

  const on = (app: App, merchant: TestMerchant) => ({
    post: (path: string, body: object = {}) => supertest(app.koa.callback()).post(`/api/v1${path}`).set('Authorization', `Bearer ${merchant.apiKey}`).send(body),
    get: (path: string) => supertest(app.koa.callback()).get(`/api/v1${path}`).set('Authorization', `Bearer ${merchant.apiKey}`),
  });

  /** The code the buyer got, as the instance that sent it reads it back (test mode's SMS inbox). */
  async function codeSentBy(app: App, merchant: TestMerchant, phone: string): Promise<string> {
    const inbox = await on(app, merchant).get(`/test/sms?phone=${encodeURIComponent(`+${phone}`)}`).expect(200);
    const code = inbox.body.data[0].code as string;
    rememberCode(code);
    return code;
  }

  async function paymentWithCode(sender: App) {
    const merchant = await createTestMerchant(t, { mode: 'test' });
    const buyer = await createBuyer(t, '100.00', { mode: 'test' });
    const p = await on(sender, merchant).post('/payments', { payee_purse: merchant.purse, amount: '1.00', phone: buyer.phone }).expect(201);
    return { merchant, buyer, id: p.body.id as string, code: await codeSentBy(sender, merchant, buyer.phone) };
  }

  it('a code sent by an instance with A pays through an instance with CODE_SECRET=B, CODE_SECRET_PREVIOUS=A', async () => {
    const { merchant, id, code } = await paymentWithCode(onlyA);
    const paid = await on(newWithPrevious, merchant).post(`/payments/${id}/confirm`, { code });
    assert.equal(paid.status, 200, JSON.stringify(paid.body));
    assert.equal(paid.body.status, 'succeeded');
  });

  it('a code sent by an instance with B pays through an instance with CODE_SECRET=A, CODE_SECRET_NEXT=B (the first phase)', async () => {
    const { merchant, id, code } = await paymentWithCode(newWithPrevious);
    const paid = await on(oldWithNext, merchant).post(`/payments/${id}/confirm`, { code });
    assert.equal(paid.status, 200, JSON.stringify(paid.body));
  });

  it('a wrong code still counts on the instance with both secrets', async () => {
    const { merchant, id, code } = await paymentWithCode(onlyA);
    const wrong = code === '000000' ? '111111' : '000000';
    const refused = await on(newWithPrevious, merchant).post(`/payments/${id}/confirm`, { code: wrong.slice(0, code.length) }).expect(422);
    assert.equal(refused.body.code, 'code_invalid');
    assert.equal(refused.body.tries_left, 2);
    await on(newWithPrevious, merchant).post(`/payments/${id}/confirm`, { code }).expect(200);
  });

  it('a new code comes from the current secret alone: the instance with only B accepts what the rotated instance sends', async () => {
    const { merchant, id, code } = await paymentWithCode(newWithPrevious);
    const paid = await on(onlyB, merchant).post(`/payments/${id}/confirm`, { code });
    assert.equal(paid.status, 200, JSON.stringify(paid.body));
  });

  it('an instance that does not know the secret a right code came from burns no try: 503, and the code still pays elsewhere', async () => {
    const { merchant, id, code } = await paymentWithCode(onlyB);
    const refused = await on(onlyA, merchant).post(`/payments/${id}/confirm`, { code });
    assert.equal(refused.status, 503, JSON.stringify(refused.body));
    assert.ok(refused.headers['retry-after']);
    const [row] = (await t.database.db.raw<{ rows: { wrong_tries: number }[] }>('select wrong_tries from payment_codes where payment_id = ?', [id])).rows;
    assert.equal(row!.wrong_tries, 0, 'no try was counted');
    await on(newWithPrevious, merchant).post(`/payments/${id}/confirm`, { code }).expect(200);
  });

  it('the hosted page\'s CSRF token made by an instance with A is good at an instance with B and A as previous; a forged one is not', async () => {
    const merchant = await createTestMerchant(t);
    const p = await on(onlyA, merchant).post('/payments', { payee_purse: merchant.purse, amount: '2.00' }).expect(201);
    const page = await supertest(onlyA.koa.callback()).get(`/pay/${p.body.id}`).expect(200);
    const cookies = (page.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]).join('; ');
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.text)![1]!;
    const buyer = await createBuyer(t);
    const post = (app: App, token: string) =>
      supertest(app.koa.callback()).post(`/pay/${p.body.id}/phone`).set('Cookie', cookies).type('form').send(new URLSearchParams({ csrf: token, phone: `+${buyer.phone}` }).toString());
    assert.equal((await post(newWithPrevious, `${csrf.slice(0, -2)}AA`)).status, 403, 'a forged token is refused');
    assert.equal((await post(onlyB, csrf)).status, 403, 'an instance without A refuses it');
    const res = await post(newWithPrevious, csrf);
    assert.equal(res.status, 303, res.text.slice(0, 300));
  });

  it('reads CODE_SECRET_PREVIOUS, CODE_SECRET_NEXT and DATA_KEY_NEXT from the environment, and checks their length', () => {
    const config = loadConfig({ NODE_ENV: 'test', CODE_SECRET: B, CODE_SECRET_PREVIOUS: A, CODE_SECRET_NEXT: 'code-secret-C-0123456789abcdef' });
    assert.deepEqual([config.codeSecret, config.codeSecretPrevious, config.codeSecretNext], [B, A, 'code-secret-C-0123456789abcdef']);
    assert.throws(() => loadConfig({ NODE_ENV: 'test', CODE_SECRET_PREVIOUS: 'short' }), /CODE_SECRET_PREVIOUS/);
    assert.equal(loadConfig({ NODE_ENV: 'test', DATA_KEY_NEXT: 'a-next-data-key-0123456789-0123456789' }).dataKeyNext, 'a-next-data-key-0123456789-0123456789');
    assert.throws(() => loadConfig({ NODE_ENV: 'test', DATA_KEY_NEXT: 'short' }), /DATA_KEY_NEXT/);
  });
});
