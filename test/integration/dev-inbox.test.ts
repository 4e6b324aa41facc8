import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { useTestApp } from '../helpers/test-app.js';
import { api, createBuyer, createTestMerchant, lastCode } from '../helpers/merchant.js';
import { payNow } from '../helpers/payments.js';
import { capturedLogLines } from '../helpers/log-capture.js';
import { query } from '../../lib/postgres/db.js';

const run = promisify(execFile);

describe('dev inboxes in the database (issue 29: messages sent by the CLI were lost)', function () {
  this.timeout(60_000);
  // the CLI keeps its messages by the system clock: the app's clock starts there too
  const t = useTestApp({ demo: true, clockStart: 'now' });

  // the CLI shares the service's CODE_SECRET, as every instance does: it makes the receipt links the service made (docs/buyer-guide.md#receipts)
  const cli = async (...args: string[]) => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'lib/cli.ts', ...args], { env: { ...process.env, NODE_ENV: 'development', DATABASE_URL: t.database.url, CODE_SECRET: t.config.codeSecret! } });
    return JSON.parse(stdout);
  };

  it('shows on /dev/sms of the running service the refund SMS that `refunds:create` sent from its own process', async () => {
    const merchant = await createTestMerchant(t);
    const buyer = await createBuyer(t, '10.00');
    const p = (await api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount: '3.00', phone: buyer.phone }).expect(201)).body;
    const code = lastCode(t, buyer.phone);
    await api(t, merchant).post(`/payments/${p.id}/confirm`, { code }).expect(200);
    await t.app.notifier.idle(); // the payment's receipt (docs/buyer-guide.md#receipts)

    const refund = await cli('refunds:create', p.id, '--amount', '1.25');
    assert.equal(refund.status, 'succeeded');

    const inbox = (await t.http.get(`/dev/sms?phone=${encodeURIComponent(`+${buyer.phone}`)}`).set('Accept', 'application/json').expect(200)).body.data as { to: string; text: string }[];
    assert.equal(inbox.length, 3, 'the code SMS and the receipt of this process, and the refund receipt of the CLI');
    assert.match(inbox[0]!.text, /1\.25/, 'newest first: the refund');
    assert.match(inbox[2]!.text, new RegExp(`${code}`), 'the dev inbox shows codes: that is what it is for');
    const page = await t.http.get('/dev/sms').expect(200);
    assert.match(page.text, /1\.25/);
    assert.ok(page.text.includes(code), 'the dev SMS page shows the code');
    assert.equal(capturedLogLines.filter((l) => l.includes(`#${code}`) || l.includes(`"${code}"`)).length, 0, 'no log line carries the code');
  });

  it('shows on /dev/mail of the running service the mail a CLI action sent', async () => {
    const merchant = await createTestMerchant(t);
    const shop = (await t.admin('get', `/admin/v1/merchants/${merchant.id}`)).body.shop_id;
    await api(t, merchant).patch(`/shops/${shop}`, { alerts: { emails: ['cli@shop.example'], events: ['refund.succeeded'] } }).expect(200);
    await t.app.notifier.idle();
    // the recipient confirms first (docs/merchant-guide.md#alerts), with the link of the mail this process kept
    const invitation = ((await t.http.get('/dev/mail').set('Accept', 'application/json').expect(200)).body.data as { to: string; text: string }[]).find((m) => m.to === 'cli@shop.example')!;
    const link = new URL(/https?:\/\/\S+\/alerts\/confirm\/\S+/.exec(invitation.text)![0]).pathname;
    const question = await t.http.get(link).expect(200);
    await t.http.post(link).type('form').send({ csrf: /name="csrf" value="([^"]+)"/.exec(question.text)![1]! }).expect(200);
    const { payment: p } = await payNow(t, merchant, '2.00', {}, { balance: '10.00', notified: true });

    await cli('refunds:create', p.id);
    const mails = (await t.http.get('/dev/mail').set('Accept', 'application/json').expect(200)).body.data as { to: string; subject: string; text: string }[];
    const mine = mails.filter((m) => m.to === 'cli@shop.example');
    assert.ok(mine.some((m) => /refund/i.test(m.subject)), JSON.stringify(mine.map((m) => m.subject)));
    assert.match((await t.http.get('/dev/mail').expect(200)).text, /cli@shop\.example/);
  });

  it('keeps a week of messages at most (and the newest 1,000): older ones go when the next one comes', async () => {
    const kept = async () => (await query<{ n: number }>(t.database.db, `select count(*)::int as n from dev_inbox`))[0]!.n;
    assert.ok((await kept()) > 2);
    t.clock.advance(8 * 24 * 3600_000);
    const merchant = await createTestMerchant(t);
    const buyer = await createBuyer(t, '10.00');
    await api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount: '1.00', phone: buyer.phone }).expect(201);
    assert.equal(await kept(), 1, 'only this week\'s message is left');
  });
});
