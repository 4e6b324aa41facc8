import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { ServiceProcess } from '../helpers/service-process.js';
import { freePort } from '../../tools/postgres.js';
import { alive } from '../helpers/process.js';
import { loadConfig } from '../../lib/config.js';
import { resolveServiceSecrets } from '../../lib/use-cases/operators/resolve-service-secrets.js';
import { rememberCode, rememberSecret } from '../helpers/log-capture.js';

const ADMIN = 'instances-test-admin-token';

/** Cookies of one browser, carried by hand across fetch calls to any instance. */
class CookieJar {
  private readonly cookies = new Map<string, string>();
  take(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, value] = pair!.split('=');
      this.cookies.set(name!, value!);
    }
  }
  get header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}


describe('restarts, several instances, and how the process is started and stopped', function () {
  this.timeout(120_000);
  let database: TestDatabase;
  const services: ServiceProcess[] = [];
  // no CODE_SECRET: the service keeps one generated secret in the database (docs/operator-guide.md#several-instances-and-database-outages)
  const service = (env: Record<string, string> = {}) => {
    const s = new ServiceProcess({ DATABASE_URL: database.url, ADMIN_TOKEN: ADMIN, ...env });
    services.push(s);
    return s;
  };

  before(async () => {
    database = await createTestDatabase(2);
  });
  after(async () => {
    for (const s of services) await s.stop('SIGKILL');
    await database.drop();
  });

  async function testMerchantAndBuyer(on: ServiceProcess, phone: string) {
    const merchant = await on.json('POST', '/admin/v1/merchants', { name: 'Restart Shop', mode: 'test' }, ADMIN);
    assert.equal(merchant.status, 201, JSON.stringify(merchant.body));
    rememberSecret(merchant.body.api_key);
    rememberSecret(merchant.body.secret_key);
    rememberSecret(merchant.body.webhook_secret);
    const wallet = await on.json('POST', '/admin/v1/wallets', { currency: 'USD', phone, mode: 'test' }, ADMIN);
    await on.json('POST', `/admin/v1/wallets/${wallet.body.purse}/topups`, { amount: '20.00' }, ADMIN);
    return { key: merchant.body.api_key as string, purse: merchant.body.purse as string };
  }

  async function codeOf(on: ServiceProcess, key: string, phone: string): Promise<string> {
    const inbox = await on.json('GET', `/api/v1/test/sms?phone=${encodeURIComponent(phone)}`, undefined, key);
    const code = inbox.body.data[0].code as string;
    rememberCode(code);
    return code;
  }

  it('instances starting together on a new database all keep the one secret the first stored', async () => {
    // on a new database the first start of every instance races to store the generated secrets;
    // the losers must read the winner's, not fail (CI once saw `payouts:run` twice at once crash here)
    const fresh = await createTestDatabase(20);
    try {
      for (let round = 0; round < 5; round++) {
        await fresh.db.raw('delete from service_secrets');
        const config = loadConfig({ DATABASE_URL: fresh.url }, { codeSecret: null, dataKey: null });
        const resolved = await Promise.all(Array.from({ length: 16 }, () => resolveServiceSecrets(fresh.db, config)));
        const stored = await fresh.db.raw<{ rows: { name: string; value: string }[] }>('select name, value from service_secrets order by name');
        assert.deepEqual(stored.rows.map((r) => r.name), ['code_secret', 'data_key']);
        const [code, data] = [stored.rows[0]!.value, stored.rows[1]!.value];
        for (const c of resolved) {
          assert.equal(c.codeSecret, code);
          assert.equal(c.dataKey, data);
        }
      }
    } finally {
      await fresh.drop();
    }
  });

  it('a code sent before a kill -9 still pays after the restart', async () => {
    const first = await service().start();
    const m = await testMerchantAndBuyer(first, '+79035558801');
    const created = await first.json('POST', '/api/v1/payments', { payee_purse: m.purse, amount: '2.00', phone: '+79035558801' }, m.key);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const code = await codeOf(first, m.key, '+79035558801');
    await first.stop('SIGKILL');

    const second = await service().start();
    const paid = await second.json('POST', `/api/v1/payments/${created.body.id}/confirm`, { code }, m.key);
    assert.equal(paid.status, 200, JSON.stringify(paid.body));
    assert.equal(paid.body.status, 'succeeded');
  });

  it('two instances on one database: codes and the hosted page tokens work whichever instance answers', async () => {
    const [a, b] = await Promise.all([service().start(), service().start()]);
    const m = await testMerchantAndBuyer(a, '+79035558802');
    const created = await a.json('POST', '/api/v1/payments', { payee_purse: m.purse, amount: '3.00' }, m.key);

    const jar = new CookieJar();
    const page = await fetch(`${a.url}/pay/${created.body.id}`);
    jar.take(page);
    const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())![1]!;
    const phoneStep = await fetch(`${b.url}/pay/${created.body.id}/phone`, {
      method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: jar.header },
      body: new URLSearchParams({ csrf, phone: '+79035558802' }).toString(),
    });
    assert.equal(phoneStep.status, 303, 'the token made by A is good at B');
    const code = await codeOf(b, m.key, '+79035558802');
    const paid = await a.json('POST', `/api/v1/payments/${created.body.id}/confirm`, { code }, m.key);
    assert.equal(paid.body.status, 'succeeded', JSON.stringify(paid.body));
  });

  it('an instance started with a new DATA_KEY (the old one as DATA_KEY_PREVIOUS) re-seals nothing: an instance on the old key still confirms', async () => {
    const fresh = await createTestDatabase(2);
    try {
      const [oldKey, newKey] = ['instances-old-data-key-0123456789abcdef', 'instances-new-data-key-0123456789abcdef'];
      const old = await new ServiceProcess({ DATABASE_URL: fresh.url, ADMIN_TOKEN: ADMIN, DATA_KEY: oldKey }).start();
      services.push(old);
      const m = await testMerchantAndBuyer(old, '+79035558804');
      const created = await old.json('POST', '/api/v1/payments', { payee_purse: m.purse, amount: '2.00', phone: '+79035558804' }, m.key);
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const rolled = new ServiceProcess({ DATABASE_URL: fresh.url, ADMIN_TOKEN: ADMIN, DATA_KEY: newKey, DATA_KEY_PREVIOUS: oldKey });
      services.push(rolled);
      await rolled.start();
      const paid = await old.json('POST', `/api/v1/payments/${created.body.id}/confirm`, { code: await codeOf(old, m.key, '+79035558804') }, m.key);
      assert.equal(paid.status, 200, JSON.stringify(paid.body));
      await old.stop();
      await rolled.stop();
    } finally {
      await fresh.drop();
    }
  });

  it('with NODE_ENV unset it says loudly what is open, and mounts no demo or dev inbox without a seeded demo', async () => {
    const s = await service({ NODE_ENV: '', LOG_LEVEL: 'info' }).start();
    assert.match(s.output, /"level":40,.*NODE_ENV is not set: running in development mode \(merchant callbacks to private and loopback addresses/);
    assert.equal((await fetch(`${s.url}/demo/result`, { method: 'POST', body: 'LMI_PREREQUEST=1' })).status, 404);
    assert.equal((await fetch(`${s.url}/dev/sms`)).status, 404);
    assert.equal((await fetch(`${s.url}/demo`)).status, 404);
    const listening = s.output.split('\n').find((line) => line.includes('telepurse listening'))!;
    assert.ok(listening && !listening.includes('/demo') && !listening.includes('/dev/sms'), `the start log does not advertise a demo it has not got: ${listening}`);
  });

  it('behind a TLS proxy (TRUST_PROXY=true) the hosted page cookies are Secure; without it they are not', async () => {
    const trusting = await service({ TRUST_PROXY: 'true', LOG_LEVEL: 'info' }).start();
    const plain = await service({ LOG_LEVEL: 'info' }).start();
    const m = await testMerchantAndBuyer(trusting, '+79035558803');
    const viaProxy = async (on: ServiceProcess) => {
      const created = await on.json('POST', '/api/v1/payments', { payee_purse: m.purse, amount: '1.00' }, m.key);
      const res = await fetch(`${on.url}/pay/${created.body.id}`, { headers: { 'X-Forwarded-Proto': 'https', 'X-Forwarded-For': '203.0.113.9' } });
      return res.headers.getSetCookie();
    };
    const secure = await viaProxy(trusting);
    assert.ok(secure.length >= 2 && secure.every((c) => /;\s*secure/i.test(c)), secure.join(' | '));
    const insecure = await viaProxy(plain);
    assert.ok(insecure.length >= 2 && insecure.every((c) => !/;\s*secure/i.test(c)), insecure.join(' | '));
    assert.match(trusting.output, /"route":"\/pay\/:id".*"ip":"203\.0\.113\.9"/, 'the client address is the one the trusted proxy added');
    assert.doesNotMatch(plain.output, /203\.0\.113\.9/, 'an untrusted X-Forwarded-For is ignored');
  });

  it('SIGTERM sent to the `npm start` process (as a container runtime does) stops the service too', async () => {
    const port = await freePort();
    const npm = spawn('npm', ['start'], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'development', DATABASE_URL: database.url, PORT: String(port), LOG_LEVEL: 'warn', CODE_SECRET: 'npm-start-test-secret-0123456789' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    npm.stdout!.on('data', (d) => (output += d));
    npm.stderr!.on('data', (d) => (output += d));
    const deadline = Date.now() + 60_000;
    while (!(await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false))) {
      if (Date.now() > deadline) throw new Error(`npm start did not come up: ${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const service = execFileSync('ps', ['-o', 'pid=', '--ppid', String(npm.pid)], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
    assert.equal(service.length, 1, 'npm runs the service as its child');
    const exited = new Promise((resolve) => npm.once('exit', resolve));
    npm.kill('SIGTERM');
    await exited;
    const stopDeadline = Date.now() + 15_000;
    while (service.some(alive) && Date.now() < stopDeadline) await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(service.filter(alive), [], `left running: ${output}`);
    assert.equal(await fetch(`http://127.0.0.1:${port}/health`).then(() => 'answered', () => 'refused'), 'refused');
  });
});
