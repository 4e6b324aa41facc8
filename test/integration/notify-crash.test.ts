import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { ServiceProcess } from '../helpers/service-process.js';
import { Receiver } from '../helpers/receiver.js';
import { rememberCode, rememberSecret } from '../helpers/log-capture.js';
import { query } from '../../lib/postgres/db.js';

describe('the service process: crash and graceful stop', function () {
  this.timeout(120_000);
  const receiver = new Receiver();
  let database: TestDatabase;
  const services: ServiceProcess[] = [];
  const admin = 'crash-test-admin-token';
  const service = () => {
    const s = new ServiceProcess({ DATABASE_URL: database.url, ADMIN_TOKEN: admin, CODE_SECRET: 'crash-test-code-secret-0123456789', NOTIFY_TIMEOUT_MS: '1000', NOTIFY_RETRY_SCHEDULE: '1,1,1' });
    services.push(s);
    return s;
  };

  before(async () => {
    await receiver.start();
    database = await createTestDatabase(2);
  });
  after(async () => {
    for (const s of services) await s.stop('SIGKILL');
    await receiver.stop();
    await database.drop();
  });

  it('killed (SIGKILL) after the payment committed and before delivery, it delivers after a restart', async () => {
    const first = await service().start();
    const merchant = await first.json('POST', '/admin/v1/merchants', { name: 'Crash Shop', result_url: receiver.url(), mode: 'test' }, admin);
    assert.equal(merchant.status, 201);
    rememberSecret(merchant.body.api_key);
    rememberSecret(merchant.body.secret_key);
    const wallet = await first.json('POST', '/admin/v1/wallets', { currency: 'USD', phone: '+7 903 555-77-01', mode: 'test' }, admin);
    await first.json('POST', `/admin/v1/wallets/${wallet.body.purse}/topups`, { amount: '50.00' }, admin);

    receiver.reply = () => 'hang'; // the first delivery is in flight when the process dies
    const payment = await first.json('POST', '/api/v1/payments', { payee_purse: merchant.body.purse, amount: '7.00', phone: '+79035557701' }, merchant.body.api_key);
    assert.equal(payment.status, 201, JSON.stringify(payment.body));
    const inbox = await first.json('GET', '/api/v1/test/sms?phone=%2B79035557701', undefined, merchant.body.api_key);
    const code = inbox.body.data[0].code as string;
    rememberCode(code);
    const paid = await first.json('POST', `/api/v1/payments/${payment.body.id}/confirm`, { code }, merchant.body.api_key);
    assert.equal(paid.body.status, 'succeeded');
    await receiver.waitFor(1);
    assert.equal(await first.stop('SIGKILL'), null);

    const [pending] = await query<{ status: string }>(database.db, `select status from notifications where payment_id = ? and kind = 'result'`, [payment.body.id]);
    assert.equal(pending!.status, 'pending', 'the crash left the notification undelivered');

    receiver.reply = () => ({ status: 200, body: 'OK' });
    const second = await service().start();
    const requests = await receiver.waitFor(2, 30_000);
    assert.equal(requests[1]!.body, requests[0]!.body, 'the same values after the restart');
    const deadline = Date.now() + 10_000;
    let status = '';
    while (Date.now() < deadline && status !== 'delivered') {
      [{ status }] = (await query<{ status: string }>(database.db, `select status from notifications where payment_id = ? and kind = 'result'`, [payment.body.id])) as [{ status: string }];
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(status, 'delivered');
    assert.equal(await second.stop(), 0);
    assert.equal(receiver.requests.length, 2);
  });

  it('on SIGTERM stops taking connections, finishes the request in flight, and exits 0', async () => {
    const running = await service().start();
    const merchant = await running.json('POST', '/admin/v1/merchants', { name: 'Slow Shop', result_url: receiver.url(), prerequest: true }, admin);
    rememberSecret(merchant.body.api_key);
    rememberSecret(merchant.body.secret_key);
    await running.json('POST', '/admin/v1/wallets', { currency: 'USD', phone: '+7 903 555-77-02' }, admin);
    const payment = await running.json('POST', '/api/v1/payments', { payee_purse: merchant.body.purse, amount: '1.00' }, merchant.body.api_key);
    receiver.requests.length = 0;
    receiver.reply = () => ({ status: 200, body: 'YES', delayMs: 1500 }); // the pre-request keeps the request busy
    const inFlight = running.json('POST', `/api/v1/payments/${payment.body.id}/phone`, { phone: '+79035557702' }, merchant.body.api_key);
    await receiver.waitFor(1);
    const exited = running.stop('SIGTERM');
    await new Promise((r) => setTimeout(r, 200));
    await assert.rejects(fetch(`${running.url}/health`), 'no new connections once stopping');
    const answer = await inFlight;
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.status, 'code_sent');
    assert.equal(await exited, 0, running.output);
  });
});
