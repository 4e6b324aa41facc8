import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { createTestMerchant, api, type TestMerchant } from '../helpers/merchant.js';
import { payNow } from '../helpers/payments.js';
import { SmtpSink } from '../helpers/smtp-sink.js';
import { Receiver } from '../helpers/receiver.js';
import { createApp } from '../../lib/app.js';
import { clickConfirmation, confirmationPath, confirmRecipients } from '../helpers/alert-links.js';

/** docs/merchant-guide.md#alerts: alerts by e-mail (a real SMTP server) and SMS, once per event and recipient, through the outbox. */
describe('alerts to the merchant', () => {
  const smtp = new SmtpSink();
  const receiver = new Receiver();
  let t: TestApp;

  before(async () => {
    await smtp.start();
    await receiver.start();
    t = await startTestApp({ config: { smtpUrl: smtp.url, mailFrom: 'telepurse <alerts@pay.example>', notifyRetrySchedule: [30, 60] } });
  });
  after(async () => {
    await t.close();
    await smtp.stop();
    await receiver.stop();
  });

  const shopOf = async (merchant: TestMerchant) => (await t.admin('get', `/admin/v1/merchants/${merchant.id}`)).body.shop_id as string;
  const isConfirmation = (subject: string | undefined) => /^(Confirm alerts|Подтвердите оповещения)/.test(subject ?? '');
  /** Alert mails only: the confirmation each recipient got first is left out. */
  const alertsTo = (address: string) => smtp.to(address).filter((m) => !isConfirmation(m.parsed.subject));
  const alertSmsTo = (app: TestApp, phone: string) => app.app.sms.devInbox.inbox(phone).filter((m) => !m.text.includes('/alerts/confirm/'));

  /** docs/merchant-guide.md#alerts: every recipient clicks the link it got, as its owner would. */
  async function confirmAll(alerts: { emails?: string[]; phones?: string[] }) {
    for (const email of alerts.emails ?? []) await clickConfirmation(t, confirmationPath(smtp.to(email.toLowerCase()).at(-1)!.parsed.text!));
    await confirmRecipients(t, { phones: (alerts.phones ?? []).map((p) => `+${p.replace(/\D/g, '')}`) });
  }

  it('mails each sale with a text and an HTML part, the masked phone and a link to the back office, and sends one SMS line', async () => {
    const merchant = await createTestMerchant(t);
    const shop = await shopOf(merchant);
    const alerts = { emails: ['Owner@Shop.example', 'books@shop.example'], phones: ['+49 151 23456789'], events: ['payment.succeeded', 'refund.succeeded'] };
    const set = await api(t, merchant).patch(`/shops/${shop}`, { alerts }).expect(200);
    assert.deepEqual(set.body.alerts, {
      emails: ['owner@shop.example', 'books@shop.example'], phones: ['+4915123456789'], events: ['payment.succeeded', 'refund.succeeded'],
      recipients: [
        { to: 'owner@shop.example', kind: 'email', state: 'pending' }, { to: 'books@shop.example', kind: 'email', state: 'pending' },
        { to: '+4915123456789', kind: 'phone', state: 'pending' },
      ],
    });
    await confirmAll(alerts);
    const shown = (await api(t, merchant).get(`/shops/${shop}`).expect(200)).body;
    assert.deepEqual(shown.alerts.recipients.map((r: { state: string }) => r.state), ['confirmed', 'confirmed', 'confirmed']);

    const { payment, buyer } = await payNow(t, merchant, '12.08', { payment_no: 1042 }, { notified: true });
    const mails = alertsTo('owner@shop.example');
    assert.equal(mails.length, 1);
    assert.equal(alertsTo('books@shop.example').length, 1, 'one mail per recipient');
    const mail = mails[0]!.parsed;
    assert.equal(mail.subject, 'Paid: 12.08 USD at Test Shop');
    assert.deepEqual(mail.from?.value.map((a) => [a.name, a.address]), [['telepurse', 'alerts@pay.example']]);
    const link = `${t.config.publicUrl.replace(/\/$/, '')}/office/payments/${payment.id}`;
    assert.ok(mail.text?.includes(link), mail.text);
    assert.ok(String(mail.html).includes(`href="${link}"`));
    assert.ok(mail.text?.includes('1042'));
    // the text part has one field per line
    const lines = mail.text!.split('\n');
    for (const line of ['Paid: 12.08 USD at Test Shop', 'Shop: Test Shop', 'Amount: 12.08 USD', `Payment: ${payment.id}`, 'Order: 1042', `Buyer's phone: ••${buyer.phone.slice(-2)}`, `Open in the back office: ${link}`]) {
      assert.ok(lines.includes(line), `${JSON.stringify(line)} is a line of ${JSON.stringify(mail.text)}`);
    }
    const tail = buyer.phone.slice(-2);
    assert.ok(mail.text?.includes(`••${tail}`));
    for (const part of [mails[0]!.raw, mail.text ?? '', String(mail.html)]) {
      assert.ok(!part.includes(buyer.phone.slice(-6)), 'no more than the last 2 digits of the buyer\'s phone');
    }
    const sms = alertSmsTo(t, '+4915123456789');
    assert.equal(sms.length, 1);
    assert.match(sms[0]!.text, /^Paid: 12\.08 USD at Test Shop, #1042, ••\d\d$/);
    assert.ok(!sms[0]!.text.includes(buyer.phone.slice(-6)));

    await api(t, merchant).post(`/payments/${payment.id}/refunds`, { amount: '2.00' }).expect(201);
    await t.app.notifier.idle();
    assert.deepEqual(alertsTo('owner@shop.example').map((m) => m.parsed.subject), ['Paid: 12.08 USD at Test Shop', 'Refunded: 2.00 USD at Test Shop']);
  });

  it("writes alerts in the shop's language, and for payouts too", async () => {
    const merchant = await createTestMerchant(t);
    const shop = await shopOf(merchant);
    await t.admin('patch', `/admin/v1/shops/${shop}`).send({ lang: 'ru', alerts: { emails: ['ru@shop.example'], events: ['payment.succeeded', 'payout.paid'] } }).expect(200);
    assert.equal(smtp.to('ru@shop.example')[0]!.parsed.subject, 'Подтвердите оповещения магазина Test Shop');
    await confirmAll({ emails: ['ru@shop.example'] });
    await t.admin('patch', `/admin/v1/merchants/${merchant.id}`).send({ payout_delay_days: 0 }).expect(200);
    await payNow(t, merchant, '5.00', {}, { notified: true });
    const payout = (await api(t, merchant).post('/payouts', { purse: merchant.purse }).expect(201)).body;
    await t.admin('post', `/admin/v1/payouts/${payout.id}/paid`).send({ reference: 'REF-7' }).expect(200);
    await t.app.notifier.idle();
    const subjects = alertsTo('ru@shop.example').map((m) => m.parsed.subject);
    assert.deepEqual(subjects, ['Оплачено: 5.00 USD в Test Shop', 'Выплата отправлена: 5.00 USD для Test Shop']);
    assert.ok(alertsTo('ru@shop.example')[1]!.parsed.text?.includes(`/office/payouts/${payout.id}`));
  });

  it('refuses a bad address, phone or event with 400 naming it, changing nothing', async () => {
    const merchant = await createTestMerchant(t);
    const shop = await shopOf(merchant);
    for (const [alerts, field] of [
      [{ emails: ['ok@shop.example', 'not-an-address'] }, 'alerts.emails.1'],
      [{ phones: ['12'] }, 'alerts.phones.0'],
      [{ events: ['payment.exploded'] }, 'alerts.events.0'],
      [{ emails: 'owner@shop.example' }, 'alerts.emails'],
      [{ email: ['owner@shop.example'] }, 'alerts.email'],
    ] as const) {
      const res = await api(t, merchant).patch(`/shops/${shop}`, { alerts }).expect(400);
      assert.equal(res.body.errors[0].field, field, JSON.stringify(res.body));
    }
    const shown = (await api(t, merchant).get(`/shops/${shop}`).expect(200)).body;
    assert.deepEqual(shown.alerts, { emails: [], phones: [], events: [], recipients: [] });
  });

  it('with the mail server down, keeps the alert and delivers it once when it is back, with two instances sweeping', async () => {
    const merchant = await createTestMerchant(t);
    const alerts = { emails: ['twice@shop.example'], phones: ['+49 151 99999999'], events: ['payment.succeeded'] };
    await api(t, merchant).patch(`/shops/${await shopOf(merchant)}`, { alerts }).expect(200);
    await confirmAll(alerts);
    await smtp.stop();
    await payNow(t, merchant, '3.00', {}, { notified: true });
    assert.equal(alertsTo('twice@shop.example').length, 0);
    const second = createApp({ config: t.config, db: t.database.db, clock: t.clock, log: t.log });
    try {
      t.clock.advance(31_000);
      await smtp.start();
      await Promise.all([t.app.notifier.sweep(), second.notifier.sweep(), t.app.notifier.sweep(), second.notifier.sweep()]);
      await Promise.all([t.app.notifier.idle(), second.notifier.idle()]);
      assert.equal(alertsTo('twice@shop.example').length, 1, 'exactly one mail');
      const sms = [...alertSmsTo(t, '+4915199999999'), ...second.sms.devInbox.inbox('+4915199999999')];
      assert.equal(sms.length, 1, 'exactly one SMS');
    } finally {
      await second.stop();
    }
  });

  it('raises notification.dead once when a Result notification gives up, even after a redelivery dies too', async () => {
    receiver.reply = () => ({ status: 500, body: 'down' });
    const merchant = await createTestMerchant(t, { result_url: receiver.url('/dead-result') });
    await api(t, merchant).patch(`/shops/${await shopOf(merchant)}`, { alerts: { emails: ['ops@shop.example'], events: ['notification.dead'] } }).expect(200);
    await confirmAll({ emails: ['ops@shop.example'] });
    const { payment } = await payNow(t, merchant, '4.00', {}, { notified: true });
    for (const step of [31_000, 61_000]) {
      t.clock.advance(step);
      await t.app.notifier.sweep();
      await t.app.notifier.idle();
    }
    const dead = alertsTo('ops@shop.example');
    assert.equal(dead.length, 1);
    assert.equal(dead[0]!.parsed.subject, 'A notification of Test Shop could not be delivered');
    assert.ok(dead[0]!.parsed.text?.includes(`/office/payments/${payment.id}`));

    const notes = (await api(t, merchant).get(`/payments/${payment.id}/notifications`).expect(200)).body.data;
    const result = notes.find((n: { kind: string }) => n.kind === 'result');
    assert.equal(result.status, 'dead');
    await api(t, merchant).post(`/notifications/${result.id}/redeliver`).expect(202);
    await t.app.notifier.idle();
    for (const step of [31_000, 61_000]) {
      t.clock.advance(step);
      await t.app.notifier.sweep();
      await t.app.notifier.idle();
    }
    assert.equal(alertsTo('ops@shop.example').length, 1, 'still one');
    receiver.reply = () => ({ status: 200, body: 'OK' });
  });

  it('counts alerts sent, failed and pending by channel on /metrics', async () => {
    const res = await t.http.get('/metrics').expect(200);
    assert.match(res.text, /telepurse_alerts_total\{channel="mail",outcome="sent"\} [1-9]/);
    assert.match(res.text, /telepurse_alerts_total\{channel="mail",outcome="failed"\} [1-9]/);
    assert.match(res.text, /telepurse_alerts_total\{channel="sms",outcome="sent"\} [1-9]/);
    assert.match(res.text, /telepurse_alerts_pending\{channel="mail"\} 0/);
  });

  it('keeps mail for /dev/mail when no SMTP server is configured outside production', async () => {
    const dev = await startTestApp({ demo: true });
    try {
      const merchant = await createTestMerchant(dev);
      const shop = (await dev.admin('get', `/admin/v1/merchants/${merchant.id}`)).body.shop_id;
      await api(dev, merchant).patch(`/shops/${shop}`, { alerts: { emails: ['dev@shop.example'], events: ['payment.succeeded'] } }).expect(200);
      const asked = await dev.http.get('/dev/mail').set('Accept', 'application/json').expect(200);
      await clickConfirmation(dev, confirmationPath(asked.body.data[0].text));
      await payNow(dev, merchant, '1.00', {}, { balance: '10.00', notified: true });
      const inbox = await dev.http.get('/dev/mail').set('Accept', 'application/json').expect(200);
      assert.deepEqual(inbox.body.data.map((m: { to: string; subject: string }) => [m.to, m.subject]), [['dev@shop.example', 'Paid: 1.00 USD at Test Shop'], ['dev@shop.example', 'Confirm alerts of Test Shop']]);
      const page = await dev.http.get('/dev/mail').expect(200);
      assert.match(page.text, /Paid: 1\.00 USD at Test Shop/);
    } finally {
      await dev.close();
    }
  });
});
