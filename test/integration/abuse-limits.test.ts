import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { useTestApp, type TestApp } from '../helpers/test-app.js';
import { createTestMerchant, lastCode, api, type TestMerchant } from '../helpers/merchant.js';
import { fundedWallet, phone } from '../helpers/builders.js';
import { query } from '../../lib/postgres/db.js';
import { HOUR_MS } from '../../lib/domain/time.js';

// the defaults of docs/merchant-guide.md#abuse-limits (config/default.json); config/test.json raises them for the other test files
const DEFAULT_LIMITS = {
  formPaymentsPerClientPerMinute: 30, codesPerClientPerHour: 10, wrongCodesPerClientPerHour: 30, wrongTriesPerPhonePerClientPerDay: 10,
  rangeSmsPerHour: 30, smsBudgetPerMinute: 600, apiRatePerSecond: 100, signInFailuresPerClient: 20,
};

const countRows = async (t: TestApp, table: string) => (await query<{ n: number }>(t.database.db, `select count(*)::int as n from ${table}`))[0]!.n;

function wrongCodeFor(right: string): string {
  return right === '0000' ? '1111' : '0000';
}

describe('abuse limits (docs/merchant-guide.md#abuse-limits)', () => {
  describe('wrong codes: a stranger locks himself out before he locks out the phone\'s owner', () => {
    const t = useTestApp({ config: { limits: DEFAULT_LIMITS, codes: { maxCodesPerPhonePerHour: 100 } } });

    it('refuses a client past 10 wrong codes for a phone with 429 (the payment stays open); the owner pays from elsewhere; ≤ 30 guesses a phone a day', async () => {
      const owner = await createTestMerchant(t);
      const strangers = await Promise.all([1, 2, 3, 4].map(() => createTestMerchant(t)));
      const buyer = phone('+7 903 444-12-34');
      await fundedWallet({ db: t.database.db, clock: t.clock }, { balance: '50.00', phone: buyer });

      const guess = async (m: TestMerchant) => {
        const created = (await api(t, m).post('/payments', { payee_purse: m.purse, amount: '1.00', phone: `+${buyer}` }).expect(201)).body;
        const wrong = wrongCodeFor(lastCode(t, buyer)!);
        const answers = [];
        for (let i = 0; i < 3; i++) answers.push(await api(t, m).post(`/payments/${created.id}/confirm`, { code: wrong }));
        return { id: created.id, answers };
      };
      // the first stranger: 3 payments × 3 wrong codes, then a fourth payment whose first wrong code is the 10th
      for (let i = 0; i < 3; i++) await guess(strangers[0]!);
      const fourth = await guess(strangers[0]!);
      assert.deepEqual(fourth.answers.map((a) => a.status), [422, 429, 429], 'the 10th wrong code counts, the 11th is refused');
      const refusal = fourth.answers[1]!;
      assert.equal(refusal.body.code, 'rate_limited');
      assert.match(String(refusal.headers['content-type']), /application\/problem\+json/);
      assert.ok(Number(refusal.headers['retry-after']) > 0 && refusal.body.retry_after === Number(refusal.headers['retry-after']));
      assert.equal((await api(t, strangers[0]!).get(`/payments/${fourth.id}`)).body.status, 'code_sent', 'a refused try does not fail the payment');

      // the phone's owner, through another client, still pays
      const mine = (await api(t, owner).post('/payments', { payee_purse: owner.purse, amount: '2.00', phone: `+${buyer}` }).expect(201)).body;
      const paid = await api(t, owner).post(`/payments/${mine.id}/confirm`, { code: lastCode(t, buyer) }).expect(200);
      assert.equal(paid.body.status, 'succeeded');

      // every other stranger gets its share; the phone's cap of 30 a day bounds the guesses in all
      for (const s of strangers.slice(1)) for (let i = 0; i < 4; i++) await guess(s).catch(() => undefined);
      const n = (await query<{ n: number }>(t.database.db, `select count(*)::int as n from phone_wrong_tries where phone = ?`, [buyer]))[0]!.n;
      assert.ok(n <= 30, `${n} wrong codes recorded for one phone in a day`);
      assert.ok(n / 10_000 <= 0.003, 'the chance to guess a 4-digit code stays ≤ 0.3 % a day');

      const limited = (await t.admin('get', '/admin/v1/limits').expect(200)).body;
      const row = limited.phones.find((p: { phone: string }) => p.phone === `+${buyer}`);
      assert.deepEqual([row.wrong_codes_today, row.locked], [30, true]);
      await t.admin('post', `/admin/v1/limits/phones/${encodeURIComponent(`+${buyer}`)}/lift`).expect(200);
      assert.equal((await t.admin('get', '/admin/v1/limits').expect(200)).body.phones.some((p: { phone: string }) => p.phone === `+${buyer}`), false);
      const again = (await api(t, owner).post('/payments', { payee_purse: owner.purse, amount: '1.00', phone: `+${buyer}` }).expect(201)).body;
      await api(t, owner).post(`/payments/${again.id}/confirm`, { code: lastCode(t, buyer) }).expect(200);

      const metrics = await t.http.get('/metrics').expect(200);
      assert.match(metrics.text, /telepurse_rate_limited_total\{limit="phone_client_wrong_codes"\} [1-9]/);
    });
  });

  describe('hosted pages per client address (TRUST_PROXY: the address the proxy added)', () => {
    const t = useTestApp({ config: { limits: DEFAULT_LIMITS, trustProxy: true } });

    it('refuses the 31st new payment from one address in a minute with a readable page in the buyer\'s language, creating nothing; another address goes on', async () => {
      const merchant = await createTestMerchant(t, { allow_form_urls: false });
      const form = (no: number) => `LMI_PAYEE_PURSE=${merchant.purse}&LMI_PAYMENT_AMOUNT=1.00&LMI_PAYMENT_NO=${no}`;
      for (let i = 0; i < 30; i++) {
        await t.http.post('/lmi/payment').set('X-Forwarded-For', '203.0.113.7').type('form').send(form(i + 1)).expect(303);
      }
      const before = await countRows(t, 'payments');
      const refused = await t.http.post('/lmi/payment').set('X-Forwarded-For', '203.0.113.7').set('Accept-Language', 'de').type('form').send(form(99)).expect(429);
      assert.match(String(refused.headers['content-type']), /text\/html/);
      assert.ok(Number(refused.headers['retry-after']) > 0);
      assert.match(refused.text, /lang="de"/);
      assert.match(refused.text, /Zu viele Versuche von Ihrer Verbindung/);
      assert.equal(await countRows(t, 'payments'), before, 'nothing created');
      await t.http.post('/lmi/payment').set('X-Forwarded-For', '198.51.100.9').type('form').send(form(100)).expect(303);
      t.clock.advance(61_000);
      await t.http.post('/lmi/payment').set('X-Forwarded-For', '203.0.113.7').type('form').send(form(101)).expect(303);
    });

    it('purges counters that no longer count, so one row per address ever seen does not stay forever', async () => {
      assert.ok(await countRows(t, 'rate_counters') > 0);
      const job = t.app.jobs.list.find((j) => j.name === 'purge-lapsed-limits')!;
      await job.run();
      assert.ok(await countRows(t, 'rate_counters') > 0, 'this minute\'s counters stay');
      t.clock.advance(2 * 24 * HOUR_MS);
      await job.run();
      assert.equal(await countRows(t, 'rate_counters'), 0);
    });
  });

  describe('a client address is an IPv4 address or an IPv6 /64 (docs/merchant-guide.md#abuse-limits)', () => {
    const t = useTestApp({ config: { limits: { ...DEFAULT_LIMITS, formPaymentsPerClientPerMinute: 2 }, trustProxy: true } });

    it('counts two addresses of one /64 in one bucket, another /64 in its own, and an IPv4-mapped address as its IPv4 address', async () => {
      const merchant = await createTestMerchant(t, { allow_form_urls: false });
      let no = 0;
      const from = async (address: string) => (await t.http.post('/lmi/payment').set('X-Forwarded-For', address).type('form').send(`LMI_PAYEE_PURSE=${merchant.purse}&LMI_PAYMENT_AMOUNT=1.00&LMI_PAYMENT_NO=${++no}`)).status;
      assert.deepEqual([await from('2001:db8:aa:1::1'), await from('2001:db8:aa:1:ffff:ffff:ffff:2'), await from('2001:0DB8:00aa:0001::3')], [303, 303, 429], 'one /64, one bucket');
      assert.equal(await from('2001:db8:aa:2::1'), 303, 'the next /64 is another client');
      assert.deepEqual([await from('::ffff:203.0.113.77'), await from('203.0.113.77'), await from('::ffff:cb00:714d')], [303, 303, 429], 'IPv4-mapped IPv6 is its IPv4 address');
      assert.equal(await from('203.0.113.78'), 303, 'IPv4 is keyed by the whole address');
    });
  });

  describe('the operator lifts every limit: by phone, address (IPv4 or /64), number range and API key', () => {
    const t = useTestApp({ config: { limits: { ...DEFAULT_LIMITS, formPaymentsPerClientPerMinute: 1, rangeSmsPerHour: 1, apiRatePerSecond: 3, wrongTriesPerPhonePerClientPerDay: 2 }, trustProxy: true } });
    const cli = async (...args: string[]) => {
      try {
        const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'lib/cli.ts', ...args], { env: { ...process.env, NODE_ENV: 'development', DATABASE_URL: t.database.url } });
        return { code: 0, out: stdout };
      } catch (err) {
        const e = err as { code: number; stdout: string; stderr: string };
        return { code: e.code, out: e.stdout + e.stderr };
      }
    };
    let no = 0;
    const form = (merchant: TestMerchant, address: string) => t.http.post('/lmi/payment').set('X-Forwarded-For', address).type('form').send(`LMI_PAYEE_PURSE=${merchant.purse}&LMI_PAYMENT_AMOUNT=1.00&LMI_PAYMENT_NO=${++no}`);

    it('lifts an address (an IPv6 address stands for its /64) over the admin API and the CLI; the operator sees it in GET /limits first', async function () {
      this.timeout(60_000);
      const merchant = await createTestMerchant(t, { allow_form_urls: false });
      await form(merchant, '2001:db8:bb:1::1').expect(303);
      await form(merchant, '2001:db8:bb:1::2').expect(429);
      const limited = (await t.admin('get', '/admin/v1/limits').expect(200)).body;
      assert.ok(limited.addresses.some((a: { address: string; limit: string }) => a.address === '2001:db8:bb:1::/64' && a.limit === 'form_payments'), JSON.stringify(limited.addresses));
      const lifted = await t.admin('post', `/admin/v1/limits/addresses/${encodeURIComponent('2001:db8:bb:1::77')}/lift`).expect(200);
      assert.deepEqual(lifted.body, { address: '2001:db8:bb:1::/64', lifted: true });
      await form(merchant, '2001:db8:bb:1::3').expect(303);
      await t.admin('post', '/admin/v1/limits/addresses/not-an-address/lift').expect(400);

      await form(merchant, '203.0.113.91').expect(303);
      await form(merchant, '203.0.113.91').expect(429);
      const byCli = await cli('limits:lift', '--address', '203.0.113.91');
      assert.equal(byCli.code, 0, byCli.out);
      assert.deepEqual(JSON.parse(byCli.out), { address: '203.0.113.91', lifted: true });
      await form(merchant, '203.0.113.91').expect(303);
    });

    it('lifts a number range over the admin API and the CLI', async function () {
      this.timeout(60_000);
      const merchant = await createTestMerchant(t);
      const pay = (p: string) => (t.clock.advance(1000), api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount: '1.00', phone: p }));
      for (const last of ['1001', '1002', '1003']) await fundedWallet({ db: t.database.db, clock: t.clock }, { balance: '5.00', phone: phone(`+7 903 888-${last.slice(0, 2)}-${last.slice(2)}`) });
      await pay('+79038881001').expect(201);
      assert.equal((await pay('+79038881002').expect(429)).body.limit, 'range_sms');
      assert.deepEqual((await t.admin('post', `/admin/v1/limits/ranges/${encodeURIComponent('+7903888')}/lift`).expect(200)).body, { range: '+7903888', lifted: true });
      await pay('+79038881002').expect(201);
      assert.equal((await pay('+79038881003').expect(429)).body.limit, 'range_sms');
      const byCli = await cli('limits:lift', '--range', '+7 903 888');
      assert.equal(byCli.code, 0, byCli.out);
      assert.deepEqual(JSON.parse(byCli.out), { range: '+7903888', lifted: true });
      await pay('+79038881003').expect(201);
    });

    it('lifts an API key: its requests a second and its share of wrong codes for a phone', async function () {
      this.timeout(60_000);
      t.clock.advance(HOUR_MS);
      const merchant = await createTestMerchant(t);
      const keyId = (await api(t, merchant).get('/api_keys').expect(200)).body.data[0].id as string;
      const buyer = phone('+7 903 999-20-01');
      await fundedWallet({ db: t.database.db, clock: t.clock }, { balance: '5.00', phone: buyer });
      t.clock.advance(1000);
      const created = (await api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount: '1.00', phone: `+${buyer}` }).expect(201)).body;
      const wrong = wrongCodeFor(lastCode(t, buyer));
      const tries = [];
      for (let i = 0; i < 3; i++) {
        t.clock.advance(1000);
        tries.push((await api(t, merchant).post(`/payments/${created.id}/confirm`, { code: wrong })).status);
      }
      assert.deepEqual(tries, [422, 422, 429], 'this key\'s share of wrong codes for the phone is 2 here');
      t.clock.advance(1000);
      assert.deepEqual(await Promise.all([1, 2, 3, 4].map(async () => (await api(t, merchant).get('/payments')).status)).then((s) => s.sort()), [200, 200, 200, 429]);
      assert.deepEqual((await t.admin('post', `/admin/v1/limits/api-keys/${keyId}/lift`).expect(200)).body, { api_key_id: keyId, lifted: true });
      await api(t, merchant).get('/payments').expect(200);
      const again = await api(t, merchant).post(`/payments/${created.id}/confirm`, { code: wrong });
      assert.equal(again.body.code, 'too_many_attempts', 'the key may try again: its third wrong code ends the payment, as it would have before the share ran out');
      await t.admin('post', '/admin/v1/limits/api-keys/nonsense/lift').expect(400);
      const byCli = await cli('limits:lift', '--api-key', keyId);
      assert.equal(byCli.code, 0, byCli.out);
    });
  });

  describe('back-office sign-in per client address', () => {
    const t = useTestApp({ config: { limits: DEFAULT_LIMITS, trustProxy: true } });

    it('after 20 failed sign-ins from one address in 15 minutes refuses that address, whatever the e-mail; another address signs in', async () => {
      const agent = t.http;
      const page = await agent.get('/office/login').expect(200);
      const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
      const attempt = (email: string, from: string) => agent.post('/office/login').set('X-Forwarded-For', from).type('form').send({ _csrf: token, email, password: 'not the password' });
      for (let i = 0; i < 20; i++) assert.equal((await attempt(`someone${i}@shop.example`, '203.0.113.50')).status, 401);
      const refused = await attempt('fresh@shop.example', '203.0.113.50');
      assert.equal(refused.status, 429);
      assert.match(refused.text, /Too many failed sign-ins from this address/);
      assert.equal((await attempt('fresh@shop.example', '198.51.100.50')).status, 401, 'another address is not held back');
    });
  });

  describe('number ranges, countries, the SMS budget and API keys', () => {
    const t = useTestApp({ config: { limits: { ...DEFAULT_LIMITS, rangeSmsPerHour: 3, smsBudgetPerMinute: 5, apiRatePerSecond: 8, smsCountries: ['RU', 'DE'] } } });

    it('counts code SMS per number range (the SMS-pumping guard) and refuses countries outside SMS_COUNTRIES with 422, creating nothing', async () => {
      const merchant = await createTestMerchant(t);
      const send = (p: string) => api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount: '1.00', phone: p });
      for (const last of ['1001', '1002', '1003', '1004']) {
        await fundedWallet({ db: t.database.db, clock: t.clock }, { balance: '5.00', phone: phone(`+7 903 777-${last.slice(0, 2)}-${last.slice(2)}`) });
        if (last !== '1004') await send(`+7903777${last}`).expect(201);
      }
      const before = await countRows(t, 'payments');
      const budget = async () => (await query<{ hits: number }>(t.database.db, `select hits from rate_counters where key = 'sms_budget:all'`))[0]!.hits;
      const budgetBefore = await budget();
      const refused = await send('+79037771004').expect(429);
      assert.equal(refused.body.code, 'rate_limited');
      assert.equal(refused.body.limit, 'range_sms');
      assert.equal(await countRows(t, 'payments'), before, 'nothing created');
      assert.equal(await budget(), budgetBefore, 'a send the range refused does not spend the service\'s SMS budget');
      await send('+79037781004').expect((r) => assert.notEqual(r.status, 429, 'another range is not limited'));
      t.clock.advance(HOUR_MS);

      const abroad = await send('+1 202 555 0143').expect(422);
      assert.equal(abroad.body.code, 'country_not_allowed');
      assert.equal(abroad.body.errors[0].field, 'phone');
      assert.equal(await countRows(t, 'payments'), before, 'a refused country creates nothing');
    });

    it('holds the whole service to SMS_BUDGET_PER_MINUTE, and every API key to API_RATE_PER_SECOND', async () => {
      t.clock.advance(HOUR_MS);
      const merchant = await createTestMerchant(t);
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        const p = phone(`+49 151 ${1000 + i}5678`); // another number range each time
        await fundedWallet({ db: t.database.db, clock: t.clock }, { balance: '5.00', phone: p });
        t.clock.advance(1000);
        statuses.push((await api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount: '1.00', phone: `+${p}` })).status);
      }
      assert.deepEqual(statuses, [201, 201, 201, 201, 201, 429], 'five SMS a minute in this configuration');

      t.clock.advance(60_000);
      const burst = [];
      for (let i = 0; i < 9; i++) burst.push((await api(t, merchant).get('/payments')).status);
      assert.deepEqual(burst, [200, 200, 200, 200, 200, 200, 200, 200, 429]);
      const refused = await api(t, merchant).get('/payments');
      assert.equal(refused.body.limit, 'api_key');
      t.clock.advance(1000);
      await api(t, merchant).get('/payments').expect(200);
      const metrics = (await t.http.get('/metrics').expect(200)).text;
      for (const limit of ['range_sms', 'sms_budget', 'api_key']) assert.match(metrics, new RegExp(`telepurse_rate_limited_total\\{limit="${limit}"\\} [1-9]`));
    });
  });
});
