import assert from 'node:assert/strict';
import { useTestApp } from '../helpers/test-app.js';
import { createTestMerchant, createBuyer, lastCode, api, type TestMerchant } from '../helpers/merchant.js';
import { payNow } from '../helpers/payments.js';
import { HostedPage } from '../helpers/hosted-page.js';
import { Receiver } from '../helpers/receiver.js';
import { rememberSecret } from '../helpers/log-capture.js';
import { query } from '../../lib/postgres/db.js';
import { lmiHash2, type HashedFields } from '../../lib/domain/lmi.js';
import { Webhook } from 'standardwebhooks';
import { createHmac } from 'node:crypto';

/** docs/merchant-guide.md#shops-methods-and-keys: a merchant (account) has shops; a merchant created as in docs/operator-guide.md#operator-api-and-cli gets one shop with those settings. */
describe('shops', () => {
  // webhook receivers (standardwebhooks) check the timestamp against the real time
  const t = useTestApp({ clockStart: 'now' });
  const receiver = new Receiver();
  before(() => receiver.start());
  after(() => receiver.stop());

  const HASHED = ['LMI_PAYEE_PURSE', 'LMI_PAYMENT_AMOUNT', 'LMI_PAYMENT_NO', 'LMI_MODE', 'LMI_SYS_INVS_NO', 'LMI_SYS_TRANS_NO', 'LMI_SYS_TRANS_DATE', 'LMI_PAYER_PURSE', 'LMI_PAYER_WM'];
  const signedWith = (body: string, secret: string) => {
    const f = new URLSearchParams(body);
    return f.get('LMI_HASH2') === lmiHash2(Object.fromEntries(HASHED.map((n) => [n, f.get(n) ?? ''])) as HashedFields, secret);
  };
  const resultsOf = (paymentId: string) => receiver.requests.filter((r) => new URLSearchParams(r.body).get('LMI_TELEPAT_ORDERID') === paymentId);
  const remember = (body: { secret_key?: string; webhook_secret?: string }) => {
    rememberSecret(body.secret_key);
    rememberSecret(body.webhook_secret);
  };
  async function addShop(merchant: TestMerchant, body: Record<string, unknown>) {
    const res = await api(t, merchant).post('/shops', { result_url: receiver.url(), ...body });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    remember(res.body);
    return res.body as { id: string; purse: string; secret_key: string; webhook_secret: string; name: string };
  }
  it('a merchant created as in docs/operator-guide.md#operator-api-and-cli has one shop; its answer keeps every field and adds shop_id', async () => {
    const res = await t.admin('post', '/admin/v1/merchants').send({ name: 'One Shop', result_url: 'http://127.0.0.1:9/result', hash_method: 'md5', prerequest: false }).expect(201);
    for (const field of ['id', 'name', 'purse', 'mode', 'api_key', 'secret_key', 'webhook_secret', 'result_url', 'hash_method', 'capture']) assert.ok(field in res.body, field);
    assert.equal(res.body.shop_id, `shp_${res.body.id.slice(4)}`);
    assert.equal(res.body.hash_method, 'md5');
    const shown = await t.admin('get', `/admin/v1/merchants/${res.body.id}`).expect(200);
    assert.equal(shown.body.shop_id, res.body.shop_id);
  });

  it('payments carry the shop of their payee purse and can be listed by shop', async () => {
    const merchant = await createTestMerchant(t);
    const shopId = (await t.admin('get', `/admin/v1/merchants/${merchant.id}`)).body.shop_id as string;
    const buyer = await createBuyer(t);
    const client = api(t, merchant);
    const p = await client.post('/payments', { payee_purse: merchant.purse, amount: '1.00', phone: buyer.phone }).expect(201);
    assert.equal(p.body.shop_id, shopId);
    const paid = await client.post(`/payments/${p.body.id}/confirm`, { code: lastCode(t, buyer.phone) }).expect(200);
    assert.equal(paid.body.shop_id, shopId);
    const listed = await client.get(`/payments?shop_id=${shopId}`).expect(200);
    assert.deepEqual(listed.body.data.map((x: { id: string }) => x.id), [p.body.id]);
    const none = await client.get('/payments?shop_id=shp_000000000000000000000000').expect(200);
    assert.deepEqual(none.body.data, []);
    const bad = await client.get('/payments?shop_id=shop-1').expect(400);
    assert.equal(bad.body.errors[0].field, 'shop_id');
  });

  it('two shops of one merchant: each pays through the form and the API, shows its name, and signs with its own secret', async () => {
    const merchant = await createTestMerchant(t, { result_url: receiver.url() });
    const second = await addShop(merchant, { name: 'Second Shop', currency: 'EUR' });
    assert.match(second.purse, /^E\d{12}$/);
    const eurBuyer = await createBuyer(t, '50.00', { currency: 'EUR' });
    const client = api(t, merchant);
    const viaApi = await client.post('/payments', { payee_purse: second.purse, amount: '2.00', phone: eurBuyer.phone }).expect(201);
    assert.match(t.app.sms.devInbox.inbox(`+${eurBuyer.phone}`)[0]!.text, /to Second Shop\./);
    await client.post(`/payments/${viaApi.body.id}/confirm`, { code: lastCode(t, eurBuyer.phone) }).expect(200);
    await t.app.notifier.idle();
    assert.ok(signedWith(resultsOf(viaApi.body.id)[0]!.body, second.secret_key), 'the second shop signs with its own key');
    assert.ok(!signedWith(resultsOf(viaApi.body.id)[0]!.body, merchant.secretKey));

    const page = await HostedPage.fromForm(t, { LMI_PAYEE_PURSE: second.purse, LMI_PAYMENT_AMOUNT: '3.00' });
    assert.match((await page.view()).text, /Second Shop/);
    await page.submit('phone', { phone: eurBuyer.phone });
    await page.submit('code', { code: lastCode(t, eurBuyer.phone) });
    await t.app.notifier.idle();
    assert.ok(signedWith(resultsOf(page.paymentId)[0]!.body, second.secret_key));

    const first = (await payNow(t, merchant, '1.00', {}, { notified: true })).payment.id;
    assert.ok(signedWith(resultsOf(first)[0]!.body, merchant.secretKey), 'the first shop keeps its key');
    const shops = await client.get('/shops').expect(200);
    assert.deepEqual(shops.body.data.map((x: { name: string }) => x.name).sort(), ['Second Shop', 'Test Shop']);
    assert.ok(!JSON.stringify(shops.body).includes(second.secret_key), 'secrets are shown once');
  });

  it('a disabled shop is refused on both paths and nothing is created', async () => {
    const merchant = await createTestMerchant(t, { result_url: receiver.url() });
    const shopId = (await t.admin('get', `/admin/v1/merchants/${merchant.id}`)).body.shop_id;
    await t.admin('patch', `/admin/v1/shops/${shopId}`).send({ status: 'disabled' }).expect(200);
    const [before] = await query<{ n: number }>(t.database.db, 'select count(*)::int as n from payments where merchant_id = ?', [merchant.id]);
    const refused = await api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount: '1.00' }).expect(409);
    assert.equal(refused.body.code, 'shop_disabled');
    const form = await t.http.post('/lmi/payment').type('form').send(new URLSearchParams({ LMI_PAYEE_PURSE: merchant.purse, LMI_PAYMENT_AMOUNT: '1.00' }).toString());
    assert.equal(form.status, 400);
    assert.match(form.text, /does not accept payments now/);
    const [after] = await query<{ n: number }>(t.database.db, 'select count(*)::int as n from payments where merchant_id = ?', [merchant.id]);
    assert.equal(after!.n, before!.n);
    await api(t, merchant).patch(`/shops/${shopId}`, { status: 'active' }).expect(200);
    await api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount: '1.00' }).expect(201);
  });

  it('a shop disabled while a payment is open takes no money at the confirm, on the API and the hosted page (in the buyer\'s language)', async () => {
    const merchant = await createTestMerchant(t, { result_url: receiver.url() });
    const shopId = (await t.admin('get', `/admin/v1/merchants/${merchant.id}`)).body.shop_id;
    const buyer = await createBuyer(t);
    const created = await api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount: '1.00', phone: buyer.phone }).expect(201);
    const viaApi = lastCode(t, buyer.phone);
    const page = await HostedPage.fromForm(t, { LMI_PAYEE_PURSE: merchant.purse, LMI_PAYMENT_AMOUNT: '2.00', LMI_LANG: 'de-DE' });
    await page.follow(await page.submit('phone', { phone: buyer.phone }));
    const viaPage = lastCode(t, buyer.phone);
    await t.admin('patch', `/admin/v1/shops/${shopId}`).send({ status: 'disabled' }).expect(200);
    assert.equal((await api(t, merchant).post(`/payments/${created.body.id}/confirm`, { code: viaApi }).expect(409)).body.code, 'shop_disabled');
    const refused = await page.submit('code', { code: viaPage });
    assert.match(refused.text, /Dieser Shop nimmt gerade keine Zahlungen an/);
    const [wallet] = await query<{ balance: bigint }>(t.database.db, 'select balance from wallets where purse = ?', [buyer.purse]);
    assert.equal(wallet!.balance, 10000n, 'nothing charged');
    await t.admin('patch', `/admin/v1/shops/${shopId}`).send({ status: 'active' }).expect(200);
    assert.equal((await api(t, merchant).post(`/payments/${created.body.id}/confirm`, { code: viaApi }).expect(200)).body.status, 'succeeded', 'enabled again in time, it is paid');
  });

  it('enforces the methods of a shop on the API and the form (422 method_not_enabled; a form falls back to code)', async () => {
    const merchant = await createTestMerchant(t, { result_url: receiver.url(), capture: 'manual' });
    const shopId = (await t.admin('get', `/admin/v1/merchants/${merchant.id}`)).body.shop_id;
    await api(t, merchant).patch(`/shops/${shopId}`, { methods: ['code'] }).expect(200);
    const buyer = await createBuyer(t);
    const link = await api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount: '1.00', phone: buyer.phone, send: 'link' }).expect(422);
    assert.deepEqual([link.body.code, link.body.method], ['method_not_enabled', 'link']);
    const manual = await api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount: '1.00', capture: 'manual' }).expect(422);
    assert.deepEqual([manual.body.code, manual.body.method], ['method_not_enabled', 'manual_capture']);
    const page = await HostedPage.fromForm(t, { LMI_PAYEE_PURSE: merchant.purse, LMI_PAYMENT_AMOUNT: '1.00' });
    const [row] = await query<{ capture_mode: string }>(t.database.db, 'select capture_mode from payments where id = ?', [page.paymentId]);
    assert.equal(row!.capture_mode, 'automatic', 'the form pays at once where the shop offers no manual capture');
    await api(t, merchant).patch(`/shops/${shopId}`, { methods: ['link'] }).expect(200);
    const noCode = await t.http.post('/lmi/payment').type('form').send(new URLSearchParams({ LMI_PAYEE_PURSE: merchant.purse, LMI_PAYMENT_AMOUNT: '1.00' }).toString());
    assert.equal(noCode.status, 422);
    assert.match(noCode.headers['content-type']!, /text\/html/);
  });

  it('rotates the secret key (the next Result is signed with the new one) and the webhook secret (both sign for 24 h)', async () => {
    const merchant = await createTestMerchant(t, { result_url: receiver.url(), webhook_url: receiver.url('/hooks') });
    const shopId = (await t.admin('get', `/admin/v1/merchants/${merchant.id}`)).body.shop_id;
    const rotated = await api(t, merchant).post(`/shops/${shopId}/secret_key`, {}, { 'Idempotency-Key': 'rotate-1' }).expect(200);
    remember(rotated.body);
    assert.ok(rotated.body.secret_key && rotated.body.secret_key !== merchant.secretKey);
    const replay = await api(t, merchant).post(`/shops/${shopId}/secret_key`, {}, { 'Idempotency-Key': 'rotate-1' }).expect(200);
    assert.equal(replay.body.secret_key, null, 'shown once');
    const paid = (await payNow(t, merchant, '1.00', {}, { notified: true })).payment.id;
    assert.ok(signedWith(resultsOf(paid)[0]!.body, rotated.body.secret_key));

    const hooks = await api(t, merchant).post(`/shops/${shopId}/webhook_secret`).expect(200);
    remember(hooks.body);
    const next = (await payNow(t, merchant, '1.00', {}, { notified: true })).payment.id;
    const hook = receiver.requests.find((r) => r.path === '/hooks' && JSON.parse(r.body).data?.id === next)!;
    for (const secret of [merchant.webhookSecret, hooks.body.webhook_secret]) {
      new Webhook(secret).verify(hook.body, hook.headers as Record<string, string>);
    }
    t.clock.advanceSeconds(24 * 3600 + 1);
    const later = (await payNow(t, merchant, '1.00', {}, { notified: true })).payment.id;
    const lateHook = receiver.requests.find((r) => r.path === '/hooks' && JSON.parse(r.body).data?.id === later)!;
    // the receiver's clock would call this timestamp a day early; the signatures are what is checked here
    const signature = (secret: string) => `v1,${createHmac('sha256', Buffer.from(secret.replace(/^whsec_/, ''), 'base64'))
      .update(`${lateHook.headers['webhook-id']}.${lateHook.headers['webhook-timestamp']}.${lateHook.body}`).digest('base64')}`;
    assert.equal(lateHook.headers['webhook-signature'], signature(hooks.body.webhook_secret), 'after 24 h only the new secret signs');
  });

  it('a rotation racing payments never yields a Result signed with a secret the merchant was not shown', async () => {
    const merchant = await createTestMerchant(t, { result_url: receiver.url() });
    const shopId = (await t.admin('get', `/admin/v1/merchants/${merchant.id}`)).body.shop_id;
    const buyers = await Promise.all(Array.from({ length: 6 }, () => createBuyer(t)));
    const client = api(t, merchant);
    const created = await Promise.all(buyers.map((b) => client.post('/payments', { payee_purse: merchant.purse, amount: '1.00', phone: b.phone }).expect(201)));
    const shown = [merchant.secretKey];
    await Promise.all([
      ...created.map((p, i) => client.post(`/payments/${p.body.id}/confirm`, { code: lastCode(t, buyers[i]!.phone) }).expect(200)),
      ...[1, 2, 3].map(async () => {
        const r = await client.post(`/shops/${shopId}/secret_key`).expect(200);
        remember(r.body);
        shown.push(r.body.secret_key);
      }),
    ]);
    await t.app.notifier.idle();
    for (const p of created) {
      const [result] = resultsOf(p.body.id);
      assert.ok(result && shown.some((secret) => signedWith(result.body, secret)), `the Result of ${p.body.id} verifies with a secret that was shown`);
    }
  });

  it('a shop, a purse, an API key or a secret made with an Idempotency-Key keeps its answer in its own transaction: a retry after a crash makes nothing twice', async () => {
    const merchant = await createTestMerchant(t);
    const client = api(t, merchant);
    const db = t.database.db;
    const keyXmin = async (key: string) =>
      (await db.raw('select xmin::text as x from idempotency_keys where owner = ? and key = ?', [merchant.id, key])).rows[0]?.x as string | undefined;
    const rowXmin = async (table: string, id: string) => (await db.raw(`select xmin::text as x from ${table} where id = ?`, [id])).rows[0]?.x as string | undefined;
    const count = async (table: string, column: string) => (await db.raw(`select count(*)::int as n from ${table} where ${column} = ?`, [merchant.id])).rows[0].n as number;

    const shop = await client.post('/shops', { name: 'Kept', currency: 'EUR' }, { 'Idempotency-Key': 'shop-1' }).expect(201);
    remember(shop.body);
    assert.equal(await keyXmin('shop-1'), await rowXmin('shops', shop.body.id), 'the shop and its kept answer: one transaction');
    const key = await client.post('/api_keys', { name: 'ci' }, { 'Idempotency-Key': 'key-1' }).expect(201);
    rememberSecret(key.body.key);
    assert.equal(await keyXmin('key-1'), await rowXmin('api_keys', key.body.id), 'the API key and its kept answer');
    await client.post(`/shops/${shop.body.id}/wallets`, { currency: 'USD' }, { 'Idempotency-Key': 'purse-1' }).expect(201);
    const usd = (await db.raw("select purse, xmin::text as x from wallets where shop_id = ? and currency = 'USD'", [shop.body.id])).rows[0];
    assert.equal(await keyXmin('purse-1'), usd.x, 'the purse and its kept answer');
    const rotated = await client.post(`/shops/${shop.body.id}/webhook_secret`, {}, { 'Idempotency-Key': 'rotate-1' }).expect(200);
    remember(rotated.body);
    assert.equal(await keyXmin('rotate-1'), await rowXmin('shops', shop.body.id), 'the new secret and its kept answer');

    // the answer kept by the action is the one replayed, the secrets removed
    const replay = await client.post('/shops', { name: 'Kept', currency: 'EUR' }, { 'Idempotency-Key': 'shop-1' }).expect(201);
    assert.equal(replay.headers['idempotent-replayed'], 'true');
    assert.deepEqual(replay.body, { ...shop.body, secret_key: null, webhook_secret: null });
    const keyReplay = await client.post('/api_keys', { name: 'ci' }, { 'Idempotency-Key': 'key-1' }).expect(201);
    assert.deepEqual(keyReplay.body, { ...key.body, key: null });

    // the answer cannot be kept (as if the process died before it): the shop is not made either,
    // and the retry with the same key makes exactly one
    const [shopsBefore, keysBefore] = [await count('shops', 'merchant_id'), await count('api_keys', 'merchant_id')];
    await db.raw(`create function refuse_kept_answer() returns trigger language plpgsql as $$
      begin if new.state = 'done' and new.key in ('shop-2', 'key-2') then raise exception 'answer unavailable'; end if; return new; end $$`);
    await db.raw('create trigger refuse_kept_answer before update on idempotency_keys for each row execute function refuse_kept_answer()');
    try {
      assert.notEqual((await client.post('/shops', { name: 'Once', currency: 'EUR' }, { 'Idempotency-Key': 'shop-2' })).status, 201);
      assert.notEqual((await client.post('/api_keys', { name: 'once' }, { 'Idempotency-Key': 'key-2' })).status, 201);
    } finally {
      await db.raw('drop trigger refuse_kept_answer on idempotency_keys; drop function refuse_kept_answer()');
    }
    assert.deepEqual([await count('shops', 'merchant_id'), await count('api_keys', 'merchant_id')], [shopsBefore, keysBefore], 'nothing was made');
    const once = await client.post('/shops', { name: 'Once', currency: 'EUR' }, { 'Idempotency-Key': 'shop-2' }).expect(201);
    remember(once.body);
    rememberSecret((await client.post('/api_keys', { name: 'once' }, { 'Idempotency-Key': 'key-2' }).expect(201)).body.key);
    assert.deepEqual([await count('shops', 'merchant_id'), await count('api_keys', 'merchant_id')], [shopsBefore + 1, keysBefore + 1]);
  });

  it('bad shop input names the field and changes nothing; another merchant\'s shop is not found', async () => {
    const merchant = await createTestMerchant(t, { result_url: receiver.url() });
    const other = await createTestMerchant(t, { result_url: receiver.url() });
    const shopId = (await t.admin('get', `/admin/v1/merchants/${merchant.id}`)).body.shop_id;
    const otherShop = (await t.admin('get', `/admin/v1/merchants/${other.id}`)).body.shop_id;
    const client = api(t, merchant);
    const cases: [string, string, object, number, string][] = [
      ['post', '/shops', { name: 'X', currency: 'GBP' }, 400, 'currency'],
      ['post', '/shops', { name: 'X', currency: 'USD', methods: [] }, 400, 'methods'],
      ['post', '/shops', { name: 'X', currency: 'USD', methods: ['cash'] }, 400, 'methods.0'],
      ['post', `/shops/${shopId}/wallets`, { currency: 'USD' }, 409, 'currency'],
      ['patch', `/shops/${shopId}`, { secret_key: 'mine' }, 403, 'secret_key'],
      ['patch', `/shops/${shopId}`, { fee: { percent: '0' } }, 403, 'fee'],
      ['patch', `/shops/${shopId}`, { lang: 'fr' }, 400, 'lang'],
    ];
    const [before] = await query<{ n: number }>(t.database.db, 'select count(*)::int as n from shops');
    for (const [method, path, body, status, field] of cases) {
      const res = await (method === 'post' ? client.post(path, body) : client.patch(path, body));
      assert.equal(res.status, status, `${method} ${path} ${JSON.stringify(body)}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.errors?.[0]?.field, field, JSON.stringify(res.body));
    }
    const [after] = await query<{ n: number }>(t.database.db, 'select count(*)::int as n from shops');
    assert.equal(after!.n, before!.n);
    assert.equal((await client.get(`/shops/${otherShop}`).expect(404)).body.code, 'shop_not_found');
    assert.equal((await client.patch(`/shops/${otherShop}`, { name: 'Mine' }).expect(404)).body.code, 'shop_not_found');
    assert.equal((await client.post(`/shops/${otherShop}/secret_key`).expect(404)).body.code, 'shop_not_found');
  });
  it("speaks the shop's language when the buyer gives none (lang)", async () => {
    const merchant = await createTestMerchant(t, { result_url: receiver.url() });
    const shop = await addShop(merchant, { name: 'Магазин', currency: 'RUB', lang: 'ru' });
    const buyer = await createBuyer(t, '50.00', { currency: 'RUB' });
    await api(t, merchant).post('/payments', { payee_purse: shop.purse, amount: '5.00', phone: buyer.phone }).expect(201);
    assert.match(t.app.sms.devInbox.inbox(`+${buyer.phone}`)[0]!.text, /ваш код для оплаты 5\.00 RUB|Магазин/);
    assert.match(t.app.sms.devInbox.inbox(`+${buyer.phone}`)[0]!.text, /[а-я]{4}/);
    lastCode(t, buyer.phone);
  });
});

describe('shops: URLs the service calls', () => {
  const t = useTestApp({ config: { allowPrivateCallbacks: false } });

  it('refuses a Result or webhook URL on a private host when a shop is added or changed, naming the field', async () => {
    const merchant = await createTestMerchant(t, { result_url: 'https://shop.example.com/result' });
    const shopId = (await t.admin('get', `/admin/v1/merchants/${merchant.id}`)).body.shop_id;
    const added = await api(t, merchant).post('/shops', { name: 'X', currency: 'EUR', result_url: 'http://10.0.0.1/r' }).expect(400);
    assert.equal(added.body.errors[0].field, 'result_url');
    const changed = await api(t, merchant).patch(`/shops/${shopId}`, { webhook_url: 'http://127.0.0.1:9/hooks' }).expect(400);
    assert.equal(changed.body.errors[0].field, 'webhook_url');
    const [shops] = await query<{ n: number }>(t.database.db, 'select count(*)::int as n from shops where merchant_id = ?', [merchant.id]);
    assert.equal(shops!.n, 1);
  });
});

