import assert from 'node:assert/strict';
import http from 'node:http';
import { startLiveApp, type LiveApp } from '../helpers/live-app.js';
import { createTestMerchant } from '../helpers/merchant.js';
import { payNow } from '../helpers/payments.js';
import { consoleUser } from '../helpers/console.js';

/** docs/operator-guide.md#operator-console: the console hears every merchant's payments on the office journal's event stream. */
describe('operator console live (server-sent events)', function () {
  this.timeout(60_000);
  let app: LiveApp;
  before(async () => {
    app = await startLiveApp();
  });
  after(async () => {
    await app.close();
  });

  function openStream(cookie?: string): Promise<{ status: number; received: () => string; close: () => void }> {
    return new Promise((resolve, reject) => {
      const req = http.get(`${app.url}/console/events`, { headers: { ...(cookie && { Cookie: cookie }), Accept: 'text/event-stream' } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        resolve({ status: res.statusCode ?? 0, received: () => text, close: () => req.destroy() });
      });
      req.on('error', reject);
    });
  }

  it('pushes the console row of any merchant\'s payment within 2 seconds; no session, no stream; a cashier has none', async () => {
    const support = await consoleUser(app, 'support');
    const stream = await openStream(support.cookie);
    assert.equal(stream.status, 200);
    assert.equal((await openStream()).status, 401);
    const cashier = await consoleUser(app, 'cashier');
    assert.equal((await openStream(cashier.cookie)).status, 403);
    await new Promise((r) => setTimeout(r, 300)); // the LISTEN connection is up
    const [a, b] = [await createTestMerchant(app), await createTestMerchant(app)];
    const started = Date.now();
    const { payment: first } = await payNow(app, a, '1.00');
    const { payment: second } = await payNow(app, b, '2.00');
    while (Date.now() < started + 2000 && !(stream.received().includes(first.id) && stream.received().includes(second.id))) await new Promise((r) => setTimeout(r, 25));
    assert.ok(stream.received().includes(first.id) && stream.received().includes(second.id), 'both merchants\' payments arrive');
    assert.ok(stream.received().includes(`href=\\"/console/payments/${second.id}\\"`), 'as console rows');
    stream.close();
  });
});
