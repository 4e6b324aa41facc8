import assert from 'node:assert/strict';
import http from 'node:http';
import { startLiveApp, type LiveApp } from '../helpers/live-app.js';
import { createTestMerchant, createBuyer, api } from '../helpers/merchant.js';
import { payNow } from '../helpers/payments.js';
import { officeUser } from '../helpers/office.js';

/** The live journal (docs/merchant-guide.md#back-office): one event stream per open page, cheap enough for a hundred of them. */
describe('back office live journal (server-sent events)', function () {
  this.timeout(60_000);
  let app: LiveApp;
  before(async () => {
    app = await startLiveApp();
  });
  after(async () => {
    await app.close();
  });

  type Stream = { received: () => string; close: () => void; status: number; ended: Promise<void>; isOpen: () => boolean };
  function openStream(cookie: string): Promise<Stream> {
    return new Promise((resolve, reject) => {
      const req = http.get(`${app.url}/office/events`, { headers: { Cookie: cookie, Accept: 'text/event-stream' } }, (res) => {
        let text = '';
        let open = true;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        const ended = new Promise<void>((done) => res.on('end', () => ((open = false), done())));
        resolve({ received: () => text, close: () => req.destroy(), status: res.statusCode ?? 0, ended, isOpen: () => open });
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
    const started = Date.now();
    const { payment: created } = await payNow(app, merchant, '2.50', {}, { buyer });
    const deadline = started + 2000;
    while (Date.now() < deadline && !streams.every((s) => s.received().includes('data-status=\\"succeeded\\"'))) await new Promise((r) => setTimeout(r, 25));
    const late = streams.filter((s) => !s.received().includes(created.id) || !s.received().includes('data-status=\\"succeeded\\"'));
    assert.equal(late.length, 0, `${late.length} of 100 streams did not get the row within 2 s`);
    assert.ok(!strangerStream.received().includes(created.id), "another merchant's page hears nothing of it");
    for (const s of [...streams, strangerStream]) s.close();
  });

  // a stream must end within this, or the test fails (no sleeping for expiry: the clock and events drive it)
  const endsSoon = (s: Stream, what: string) => Promise.race([s.ended, new Promise((_, reject) => setTimeout(() => reject(new Error(`${what}: the stream is still open`)), 2000))]);

  it('ends an open stream when its session ends: sign-out, the session deleted anywhere (a disabled user), idling out', async () => {
    const merchant = await createTestMerchant(app);
    const owner = await officeUser(app, merchant, 'owner');
    const other = await officeUser(app, merchant, 'staff');
    const idle = await officeUser(app, merchant, 'viewer');
    const [signedOut, removed, idled, stays] = await Promise.all([owner.cookie, other.cookie, idle.cookie, (await officeUser(app, merchant, 'viewer')).cookie].map(openStream));
    assert.ok([signedOut, removed, idled, stays].every((s) => s!.status === 200));
    // the LISTEN connection is up (sessions ending are announced on it)
    const listening = async () => Number((await app.database.db.raw("select count(*) as n from pg_stat_activity where datname = current_database() and query like 'LISTEN tp_payments%'")).rows[0].n);
    for (let i = 0; i < 100 && (await listening()) === 0; i++) await new Promise((r) => setTimeout(r, 20));

    await owner.agent.post('/office/logout').type('form').send({ _csrf: owner.csrf }).expect(303);
    await endsSoon(signedOut!, 'signed out');
    assert.ok(removed!.isOpen() && idled!.isOpen() && stays!.isOpen(), 'other sessions keep their streams');

    // what disabling a user does, from any instance or the operator's tool: its session rows go
    await app.database.db.raw('delete from sessions where user_id = (select id from users where email = ?)', [other.email]);
    await endsSoon(removed!, 'session deleted');

    // 31 minutes without a request: the next payment is not shown to the idle session, its stream ends
    app.clock.advance(31 * 60_000);
    const buyer = await createBuyer(app, '20.00');
    const created = (await api(app, merchant).post('/payments', { payee_purse: merchant.purse, amount: '1.25', phone: buyer.phone }).expect(201)).body;
    await endsSoon(idled!, 'idled out');
    await endsSoon(stays!, 'idled out too');
    for (const s of [idled!, stays!]) assert.ok(!s.received().includes(created.id), 'an idle session hears nothing more');
    assert.equal(app.app.officeLive.openStreams(), 0);
  });
});
