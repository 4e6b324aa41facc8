import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { ServiceProcess } from '../helpers/service-process.js';
import { Balancer } from '../../tools/haproxy.js';
import { Receiver } from '../helpers/receiver.js';
import { freePort } from '../../tools/postgres.js';
import { rememberCode, rememberSecret } from '../helpers/log-capture.js';

const ADMIN = 'balancer-test-admin-token';

/** Cookies of one browser, carried by hand across requests. */
class Browser {
  private readonly cookies = new Map<string, string>();
  constructor(private readonly base: string) {}
  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const res = await fetch(`${this.base}${path}`, { redirect: 'manual', ...init, headers: { ...(init.headers ?? {}), Cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    for (const line of res.headers.getSetCookie()) {
      const [name, value] = line.split(';')[0]!.split('=');
      this.cookies.set(name!, value!);
    }
    return res;
  }
  form(path: string, fields: Record<string, string>) {
    return this.request(path, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
  }
}

/** docs/operator-guide.md#several-instances-and-database-outages and issue #22: three instances behind Debian's HAProxy, on one database. */
describe('several instances behind HAProxy', function () {
  this.timeout(120_000);
  let database: TestDatabase;
  let balancer: Balancer;
  const services: ServiceProcess[] = [];
  const receiver = new Receiver();

  before(async () => {
    database = await createTestDatabase(2);
    await receiver.start();
    const port = await freePort();
    for (let i = 0; i < 3; i++) {
      services.push(await new ServiceProcess({
        DATABASE_URL: database.url, ADMIN_TOKEN: ADMIN, TRUST_PROXY: 'true', LOG_LEVEL: 'info', PUBLIC_URL: `http://127.0.0.1:${port}`, FORM_PAYMENTS_PER_MINUTE: '4',
      }).start());
    }
    balancer = new Balancer(services.map((s) => s.url));
    balancer.port = port;
    await balancer.start();
  });
  after(async () => {
    await balancer?.stop();
    for (const s of services) await s.stop('SIGKILL');
    await receiver.stop();
    await database.drop();
  });

  async function admin(method: string, path: string, body?: unknown, base = balancer.url): Promise<{ status: number; body: any }> {
    const res = await fetch(`${base}/admin/v1${path}`, { method, headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: await res.json() };
  }

  it('a buyer pays on the hosted page while each step lands on another instance; the form limit is shared; the Result goes out once', async () => {
    const merchant = (await admin('POST', '/merchants', { name: 'Balanced Shop', mode: 'test', result_url: receiver.url('/result'), success_url: 'https://shop.example.com/ok' })).body;
    for (const secret of [merchant.api_key, merchant.secret_key, merchant.webhook_secret]) rememberSecret(secret);
    const phone = '+79035557701';
    const wallet = (await admin('POST', '/wallets', { currency: 'USD', phone, mode: 'test' })).body;
    await admin('POST', `/wallets/${wallet.purse}/topups`, { amount: '50.00' });

    const browser = new Browser(balancer.url);
    const started = await browser.form('/lmi/payment', { LMI_PAYEE_PURSE: merchant.purse, LMI_PAYMENT_AMOUNT: '7.00', LMI_PAYMENT_NO: '1' });
    assert.equal(started.status, 303);
    const paymentPath = new URL(started.headers.get('location')!, balancer.url).pathname;
    const csrfOf = async () => /name="csrf" value="([^"]+)"/.exec(await (await browser.request(paymentPath)).text())![1]!;
    assert.equal((await browser.form(`${paymentPath}/phone`, { csrf: await csrfOf(), phone })).status, 303, 'the CSRF token of one instance is good at another');
    const inbox = (await fetch(`${balancer.url}/api/v1/test/sms?phone=${encodeURIComponent(phone)}`, { headers: { Authorization: `Bearer ${merchant.api_key}` } }).then((r) => r.json())) as { data: { code: string }[] };
    const code = inbox.data[0]!.code;
    rememberCode(code);
    const paid = await browser.form(`${paymentPath}/code`, { csrf: await csrfOf(), code });
    assert.equal(paid.status, 303, 'the code sent by one instance is good at another');
    const back = await browser.request(new URL(paid.headers.get('location')!, balancer.url).pathname);
    assert.equal(back.status, 303);
    assert.match(back.headers.get('location')!, /^https:\/\/shop\.example\.com\/ok\?/, 'back to the shop, from yet another instance');

    // the page's requests were spread over the instances (round robin)
    const id = paymentPath.split('/').pop()!;
    const servedBy = services.filter((s) => s.output.split('\n').some((l) => l.includes('"msg":"request"') && l.includes(id)));
    assert.ok(servedBy.length >= 2, `the steps were served by ${servedBy.length} instance(s)`);

    // the per-address form limit (4 a minute) is counted in the database, whichever instance answers
    const answers = [started.status];
    for (let n = 2; n <= 6; n++) answers.push((await browser.form('/lmi/payment', { LMI_PAYEE_PURSE: merchant.purse, LMI_PAYMENT_AMOUNT: '1.00', LMI_PAYMENT_NO: String(n) })).status);
    // the windows are whole minutes of the wall clock, so the six posts may straddle one edge: each window's hits, in order, allow 4
    const windows = await database.db('rate_counters').where('key', 'like', 'form_payments:%').orderBy('window_start').select('hits');
    assert.equal(windows.reduce((sum, w) => sum + Number(w.hits), 0), 6, 'every post was counted once, by whichever instance took it');
    assert.ok(windows.length <= 2, `${windows.length} windows`);
    const expected = windows.flatMap((w) => Array.from({ length: Number(w.hits) }, (_, i) => (i < 4 ? 303 : 429)));
    assert.deepEqual(answers, expected);
    if (windows.length === 1) assert.deepEqual(answers, [303, 303, 303, 303, 429, 429]);

    // three instances' sweepers: the Result arrives once
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && receiver.requests.filter((r) => r.path === '/result').length === 0) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 6_000)); // one more sweep of every instance (every 5 s)
    assert.equal(receiver.requests.filter((r) => r.path === '/result').length, 1);
  });

  it('scheduled payouts run at once on every instance make one payout per wallet', async () => {
    const merchant = (await admin('POST', '/merchants', { name: 'Payout Shop', mode: 'test' })).body;
    rememberSecret(merchant.api_key);
    await admin('PATCH', `/merchants/${merchant.id}`, { payout_schedule: 'daily', payout_minimum: '0.00', payout_delay_days: 0 });
    const phone = '+79035557702';
    const wallet = (await admin('POST', '/wallets', { currency: 'USD', phone, mode: 'test' })).body;
    await admin('POST', `/wallets/${wallet.purse}/topups`, { amount: '50.00' });
    const api = (path: string, body?: unknown): Promise<any> => fetch(`${balancer.url}/api/v1${path}`, { method: body ? 'POST' : 'GET', headers: { Authorization: `Bearer ${merchant.api_key}`, 'Content-Type': 'application/json' }, body: body ? JSON.stringify(body) : undefined }).then((r) => r.json());
    const payment = await api('/payments', { payee_purse: merchant.purse, amount: '5.00', phone });
    const code = (await api(`/test/sms?phone=${encodeURIComponent(phone)}`)).data[0].code;
    rememberCode(code);
    assert.equal((await api(`/payments/${payment.id}/confirm`, { code })).status, 'succeeded');

    const runs = await Promise.all(services.flatMap((s) => [admin('POST', '/payouts/run', undefined, s.url), admin('POST', '/payouts/run', undefined, s.url)]));
    assert.ok(runs.every((r) => r.status === 200), JSON.stringify(runs));
    const payouts = (await api('/payouts')).data;
    assert.equal(payouts.length, 1, JSON.stringify(payouts));
    assert.equal(payouts[0].amount, '5.00');
  });
});
