import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { createTestMerchant, api, type TestMerchant } from '../helpers/merchant.js';
import { SmtpSink } from '../helpers/smtp-sink.js';
import { clickConfirmation, confirmationPath, confirmRecipients, lastSmsTo } from '../helpers/alert-links.js';
import { createApp } from '../../lib/app.js';
import { loadConfig } from '../../lib/config.js';

/** docs/merchant-guide.md#alerts (issue 29): alert recipients confirm first, and alert SMS count against the limits of docs/merchant-guide.md#abuse-limits. */
describe('alert recipients confirm first', () => {
  const smtp = new SmtpSink();
  let t: TestApp;
  const PHONE = '+4915123450001';

  before(async () => {
    await smtp.start();
    t = await startTestApp({ config: { smtpUrl: smtp.url, notifyRetrySchedule: [30, 60] } });
  });
  after(async () => {
    await t.close();
    await smtp.stop();
  });

  const shopOf = async (app: TestApp, merchant: TestMerchant) => (await app.admin('get', `/admin/v1/merchants/${merchant.id}`)).body.shop_id as string;
  const smsTo = (app: TestApp, phone: string) => app.app.sms.devInbox.inbox(phone);

  /** Payments nobody pays: created and cancelled at once (payment.failed). */
  async function createAndCancel(app: TestApp, merchant: TestMerchant, times: number) {
    for (let i = 0; i < times; i++) {
      const p = await api(app, merchant).post('/payments', { payee_purse: merchant.purse, amount: '1.00' }).expect(201);
      await api(app, merchant).post(`/payments/${p.body.id}/cancel`).expect(200);
    }
    await app.app.notifier.idle();
  }

  it('sends one confirmation per new recipient, none again for the same list, and no alert before the click', async () => {
    const merchant = await createTestMerchant(t);
    const shop = await shopOf(t, merchant);
    const alerts = { emails: ['first@shop.example'], phones: [PHONE], events: ['payment.failed'] };
    const set = await api(t, merchant).patch(`/shops/${shop}`, { alerts }).expect(200);
    assert.deepEqual(set.body.alerts.recipients, [
      { to: 'first@shop.example', kind: 'email', state: 'pending' },
      { to: PHONE, kind: 'phone', state: 'pending' },
    ]);
    await api(t, merchant).patch(`/shops/${shop}`, { alerts }).expect(200);
    await api(t, merchant).patch(`/shops/${shop}`, { alerts: { ...alerts, events: ['payment.failed', 'payment.succeeded'] } }).expect(200);
    assert.equal(smtp.to('first@shop.example').length, 1, 'exactly one confirmation mail');
    assert.equal(smsTo(t, PHONE).length, 1, 'exactly one confirmation SMS');
    const mail = smtp.to('first@shop.example')[0]!.parsed;
    assert.equal(mail.subject, 'Confirm alerts of Test Shop');
    assert.ok(String(mail.html).includes('/alerts/confirm/'));
    assert.match(lastSmsTo(t, PHONE), /^Test Shop wants to send you payment alerts\. Confirm: http:\/\/pay\.test\/alerts\/confirm\/[A-Za-z0-9_-]{43}$/);

    await createAndCancel(t, merchant, 3);
    assert.equal(smtp.to('first@shop.example').length, 1, 'no alert mail to a pending recipient');
    assert.equal(smsTo(t, PHONE).length, 1, 'no alert SMS to a pending recipient');
    const log = (await api(t, merchant).get(`/shops/${shop}/alert_log`).expect(200)).body.data;
    assert.deepEqual(log.map((e: { what: string; to: string }) => [e.what, e.to]).sort(), [['confirmation_sent', PHONE], ['confirmation_sent', 'first@shop.example']]);
  });

  it('confirms with one click on the page (not by opening it), and the next event alerts the recipient', async () => {
    const merchant = await createTestMerchant(t);
    const shop = await shopOf(t, merchant);
    await api(t, merchant).patch(`/shops/${shop}`, { alerts: { emails: ['click@shop.example'], events: ['payment.failed'] } }).expect(200);
    const path = confirmationPath(smtp.to('click@shop.example')[0]!.parsed.text!);
    const page = await t.http.get(path).expect(200);
    assert.match(page.text, /Send the alerts of the shop Test Shop to click@shop\.example\?/);
    assert.match(page.text, /<form method="post"/);
    assert.ok(!/<script/.test(page.text), 'no JavaScript needed');
    assert.equal((await api(t, merchant).get(`/shops/${shop}`).expect(200)).body.alerts.recipients[0].state, 'pending', 'opening the link confirms nothing');
    // a post without this browser's form token is refused, and confirms nothing
    const forged = await t.http.post(path).type('form').send({ csrf: 'x'.repeat(43) }).expect(403);
    assert.match(forged.headers['content-type'] ?? '', /text\/html/);
    assert.equal((await api(t, merchant).get(`/shops/${shop}`).expect(200)).body.alerts.recipients[0].state, 'pending');

    const done = await clickConfirmation(t, path);
    assert.match(done.text, /Confirmed: click@shop\.example now receives the alerts of the shop Test Shop\./);
    assert.equal((await api(t, merchant).get(`/shops/${shop}`).expect(200)).body.alerts.recipients[0].state, 'confirmed');
    await t.http.get(path).expect(404);
    await createAndCancel(t, merchant, 1);
    assert.deepEqual(smtp.to('click@shop.example').map((m) => m.parsed.subject), ['Confirm alerts of Test Shop', 'Payment failed: 1.00 USD at Test Shop']);

    // removed and added back: asked again, and hears nothing until then
    await api(t, merchant).patch(`/shops/${shop}`, { alerts: { emails: [], events: ['payment.failed'] } }).expect(200);
    const back = await api(t, merchant).patch(`/shops/${shop}`, { alerts: { emails: ['click@shop.example'], events: ['payment.failed'] } }).expect(200);
    assert.equal(back.body.alerts.recipients[0].state, 'pending');
    await createAndCancel(t, merchant, 1);
    assert.deepEqual(smtp.to('click@shop.example').map((m) => m.parsed.subject).slice(2), ['Confirm alerts of Test Shop']);
  });

  it("shows an expired link as a readable page in the shop's language and confirms nothing; saving the list sends a new one", async () => {
    const merchant = await createTestMerchant(t);
    const shop = await shopOf(t, merchant);
    await t.admin('patch', `/admin/v1/shops/${shop}`).send({ lang: 'de', alerts: { emails: ['late@shop.example'], events: ['payment.failed'] } }).expect(200);
    const path = confirmationPath(smtp.to('late@shop.example')[0]!.parsed.text!);
    const browser = (await import('supertest')).default.agent(t.app.koa.callback());
    const csrf = /name="csrf" value="([^"]+)"/.exec((await browser.get(path).expect(200)).text)![1];
    t.clock.advance(72 * 3600_000 + 1000);
    const expired = await browser.post(path).type('form').send({ csrf }).expect(410);
    assert.match(expired.text, /Dieser Link ist abgelaufen/);
    assert.match((await t.http.get(path).expect(410)).text, /<html lang="de"/);
    assert.equal((await api(t, merchant).get(`/shops/${shop}`).expect(200)).body.alerts.recipients[0].state, 'pending');

    await api(t, merchant).patch(`/shops/${shop}`, { alerts: { emails: ['late@shop.example'], events: ['payment.failed'] } }).expect(200);
    const mails = smtp.to('late@shop.example');
    assert.equal(mails.length, 2, 'a new link for the expired one');
    await clickConfirmation(t, confirmationPath(mails[1]!.parsed.text!));
    assert.equal((await api(t, merchant).get(`/shops/${shop}`).expect(200)).body.alerts.recipients[0].state, 'confirmed');
  });

  it('refuses a phone outside SMS_COUNTRIES, and drops alerts past the per-phone limit with the reason in the alert log, never retried', async () => {
    const c = await startTestApp({ config: { notifyRetrySchedule: [30, 60], limits: { smsCountries: ['DE'], alertSmsPerPhonePerHour: 3 } } });
    try {
      const merchant = await createTestMerchant(c);
      const shop = await shopOf(c, merchant);
      const refused = await api(c, merchant).patch(`/shops/${shop}`, { alerts: { phones: [PHONE, '+79031234567'], events: ['payment.failed'] } }).expect(422);
      assert.equal(refused.body.code, 'country_not_allowed');
      assert.equal(refused.body.errors[0].field, 'alerts.phones.1');
      assert.deepEqual((await api(c, merchant).get(`/shops/${shop}`).expect(200)).body.alerts.recipients, []);

      await api(c, merchant).patch(`/shops/${shop}`, { alerts: { phones: [PHONE], events: ['payment.failed'] } }).expect(200);
      await confirmRecipients(c, { phones: [PHONE] });
      await createAndCancel(c, merchant, 4);
      assert.equal(smsTo(c, PHONE).length, 3, 'the confirmation and two alerts: 3 an hour');
      const log = (await api(c, merchant).get(`/shops/${shop}/alert_log`).expect(200)).body.data;
      const dropped = log.filter((e: { what: string }) => e.what === 'alert_dropped');
      assert.equal(dropped.length, 2);
      assert.deepEqual([dropped[0].reason, dropped[0].to, dropped[0].event_type], ['rate_limited:alert_sms', PHONE, 'payment.failed']);
      c.clock.advance(3600_000);
      await c.app.notifier.sweep();
      await c.app.notifier.idle();
      assert.equal(smsTo(c, PHONE).length, 3, 'a dropped alert is not retried when the limit frees up');

      // the operator narrows SMS_COUNTRIES: a confirmed phone of another country hears nothing more
      const narrowed = loadConfig({ NODE_ENV: 'test' }, { limits: { smsCountries: ['FR'] } });
      const second = createApp({ config: narrowed, db: c.database.db, clock: c.clock, log: c.log });
      try {
        const p = await (await import('supertest')).default(second.koa.callback()).post('/api/v1/payments')
          .set('Authorization', `Bearer ${merchant.apiKey}`).send({ payee_purse: merchant.purse, amount: '1.00' }).expect(201);
        await (await import('supertest')).default(second.koa.callback()).post(`/api/v1/payments/${p.body.id}/cancel`).set('Authorization', `Bearer ${merchant.apiKey}`).expect(200);
        await second.notifier.idle();
        assert.equal(second.sms.devInbox.inbox(PHONE).length, 0);
      } finally {
        await second.stop();
      }
      const latest = (await api(c, merchant).get(`/shops/${shop}/alert_log?limit=1`).expect(200)).body;
      assert.deepEqual([latest.data[0].what, latest.data[0].reason], ['alert_dropped', 'country_not_allowed']);
      assert.equal(latest.has_more, true);
      const next = (await api(c, merchant).get(`/shops/${shop}/alert_log?limit=1&cursor=${latest.next_cursor}`).expect(200)).body;
      assert.notEqual(next.data[0].id, latest.data[0].id);
    } finally {
      await c.close();
    }
  });

  it("drops alerts past the service's SMS budget a minute, and sends again in the next minute", async () => {
    const b = await startTestApp({ config: { limits: { smsBudgetPerMinute: 2 } } });
    try {
      const merchant = await createTestMerchant(b);
      const shop = await shopOf(b, merchant);
      await api(b, merchant).patch(`/shops/${shop}`, { alerts: { phones: [PHONE], events: ['payment.failed'] } }).expect(200);
      await confirmRecipients(b, { phones: [PHONE] });
      await createAndCancel(b, merchant, 3);
      assert.equal(smsTo(b, PHONE).length, 2, 'the confirmation and one alert fill the budget');
      const reasons = (await api(b, merchant).get(`/shops/${shop}/alert_log`).expect(200)).body.data.filter((e: { what: string }) => e.what === 'alert_dropped').map((e: { reason: string }) => e.reason);
      assert.deepEqual(reasons, ['rate_limited:sms_budget', 'rate_limited:sms_budget']);
      b.clock.advance(60_000);
      await createAndCancel(b, merchant, 1);
      assert.equal(smsTo(b, PHONE).length, 3);
    } finally {
      await b.close();
    }
  });

  it('bounds the SMS of 5 phones and 10 addresses under many created and cancelled payments (the reproduction)', async () => {
    const limits = { rangeSmsPerHour: 30, smsBudgetPerMinute: 600, alertSmsPerPhonePerHour: 20, alertConfirmationsPerDay: 3 };
    const d = await startTestApp({ config: { smtpUrl: smtp.url, limits } });
    try {
      const merchant = await createTestMerchant(d);
      const shop = await shopOf(d, merchant);
      const phones = [1, 2, 3, 4, 5].map((i) => `+4915199990${String(i).padStart(3, '0')}`);
      const emails = Array.from({ length: 10 }, (_, i) => `pump${i}@victim.example`);
      const alerts = { emails, phones, events: ['payment.failed'] };
      await api(d, merchant).patch(`/shops/${shop}`, { alerts }).expect(200);
      await createAndCancel(d, merchant, 10);
      const sms = () => phones.reduce((n, p) => n + smsTo(d, p).length, 0);
      assert.equal(sms(), 5, 'one confirmation SMS per phone, no alert');
      assert.equal(emails.reduce((n, e) => n + smtp.to(e).length, 0), 10, 'one confirmation mail per address, no alert');

      // removing and adding back again and again: at most 3 confirmations a day per recipient
      for (let i = 0; i < 5; i++) {
        await api(d, merchant).patch(`/shops/${shop}`, { alerts: { emails: [], phones: [], events: ['payment.failed'] } }).expect(200);
        await api(d, merchant).patch(`/shops/${shop}`, { alerts }).expect(200);
      }
      for (const p of phones) assert.equal(smsTo(d, p).length, 3, p);
      for (const e of emails) assert.equal(smtp.to(e).length, 3, e);
      const refusals = (await api(d, merchant).get(`/shops/${shop}/alert_log?limit=100`).expect(200)).body.data;
      assert.ok(refusals.some((e: { what: string; reason: string | null }) => e.what === 'confirmation_refused' && e.reason === 'rate_limited:alert_confirmations'));

      // a day later the same list is saved: the pending ones get a link again, and all phones confirm
      d.clock.advance(24 * 3600_000 + 1000);
      await api(d, merchant).patch(`/shops/${shop}`, { alerts }).expect(200);
      assert.equal(sms(), 20);
      await confirmRecipients(d, { phones });
      // all five in one number range: 5 confirmations and 25 alerts fill its 30 SMS this hour, the other 25 alerts are dropped
      await createAndCancel(d, merchant, 10);
      assert.equal(sms(), 45);
      const log = (await api(d, merchant).get(`/shops/${shop}/alert_log?limit=100`).expect(200)).body.data;
      const drops = log.filter((e: { what: string }) => e.what === 'alert_dropped').map((e: { reason: string }) => e.reason);
      assert.deepEqual(drops, Array(25).fill('rate_limited:range_sms'));
    } finally {
      await d.close();
    }
  });
});
