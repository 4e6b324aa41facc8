import assert from 'node:assert/strict';
import http from 'node:http';
import { startLiveApp, type LiveApp } from '../helpers/live-app.js';
import { createTestMerchant, createBuyer, lastCode, api } from '../helpers/merchant.js';
import { officeUser } from '../helpers/office.js';

/** Spec §12's live journal: one event stream per open page, cheap enough for a hundred of them. */
describe('back office live journal (server-sent events)', function () {
  this.timeout(60_000);
  let app: LiveApp;
  before(async () => {
    app = await startLiveApp();
  });
  after(async () => {
    await app.close();
  });

  function openStream(cookie: string): Promise<{ received: () => string; close: () => void; status: number }> {
    return new Promise((resolve, reject) => {
      const req = http.get(`${app.url}/office/events`, { headers: { Cookie: cookie, Accept: 'text/event-stream' } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        resolve({ received: () => text, close: () => req.destroy(), status: res.statusCode ?? 0 });
      });
      req.on('error', reject);
    });
  }

  it('pushes a new payment and its change of status to 100 open streams within 2 seconds, and refuses a stream without a session', async () => {
    const merchant = await createTestMerchant(app);
    const other = await createTestMerchant(app);
    const owner = await officeUser(app, merchant, 'viewer');
    const stranger = await officeUser(app, other, 'owner');
    const cookie = owner.cookie;
    assert.match(cookie, /^tp_office=/);
    const streams = await Promise.all(Array.from({ length: 100 }, () => openStream(cookie)));
    const strangerStream = await openStream(stranger.cookie);
    assert.ok(streams.every((s) => s.status === 200));
    const refused = await new Promise<number>((resolve) => http.get(`${app.url}/office/events`, (res) => resolve(res.statusCode ?? 0)));
    assert.equal(refused, 401);
    await new Promise((r) => setTimeout(r, 300)); // the LISTEN connection is up

    const buyer = await createBuyer(app, '20.00');
    const client = api(app, merchant);
    const started = Date.now();
    const created = (await client.post('/payments', { payee_purse: merchant.purse, amount: '2.50', phone: buyer.phone }).expect(201)).body;
    await client.post(`/payments/${created.id}/confirm`, { code: lastCode(app, buyer.phone) }).expect(200);
    const deadline = started + 2000;
    while (Date.now() < deadline && !streams.every((s) => s.received().includes('data-status=\\"succeeded\\"'))) await new Promise((r) => setTimeout(r, 25));
    const late = streams.filter((s) => !s.received().includes(created.id) || !s.received().includes('data-status=\\"succeeded\\"'));
    assert.equal(late.length, 0, `${late.length} of 100 streams did not get the row within 2 s`);
    assert.ok(!strangerStream.received().includes(created.id), "another merchant's page hears nothing of it");
    for (const s of [...streams, strangerStream]) s.close();
  });
});
