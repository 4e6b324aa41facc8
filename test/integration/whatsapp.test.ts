import assert from 'node:assert/strict';
import { startLiveApp, type LiveApp } from '../helpers/live-app.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { api, createBuyer, createTestMerchant, lastCode, type TestMerchant } from '../helpers/merchant.js';
import { assertLedgerClean, payNow, walletBalance } from '../helpers/payments.js';
import { officeUser, onceOf } from '../helpers/office.js';
import { RecordingGateway } from '../helpers/recording-gateway.js';
import { FakeWhatsapp } from '../helpers/fake-whatsapp.js';
import { rememberSecret } from '../helpers/log-capture.js';

const SECRETS = { token: 'EAAG-fake-graph-token-0123456789', phoneNumberId: '106540352242922', appSecret: 'app-secret-of-the-fake-0123456789', verifyToken: 'verify-me-0123456789' };

/** docs/merchant-guide.md#pay-links-by-whatsapp through HTTP, against a strict fake of the Cloud API. */
describe('pay links by WhatsApp', () => {
  const fake = new FakeWhatsapp(SECRETS);
  const sms = new RecordingGateway();
  let t: LiveApp;
  let merchant: TestMerchant;

  before(async () => {
    await fake.start();
    for (const secret of Object.values(SECRETS)) rememberSecret(secret);
    t = await startLiveApp({
      smsGateway: sms, demo: true,
      config: {
        messenger: 'whatsapp', whatsappApiUrl: fake.apiUrl, whatsappToken: SECRETS.token, whatsappPhoneNumberId: SECRETS.phoneNumberId,
        whatsappAppSecret: SECRETS.appSecret, whatsappVerifyToken: SECRETS.verifyToken, codes: { maxCodesPerPhonePerHour: 3 },
      },
    });
    merchant = await createTestMerchant(t);
  });
  after(async () => {
    await t?.close();
    await fake.stop();
  });

  /** A pay link sent by WhatsApp, its first attempt done. */
  const sendByWhatsapp = async (phone: string, extra: Record<string, unknown> = {}) => {
    const res = await api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount: '2.00', phone, send: 'link', channel: 'whatsapp', ...extra });
    await t.app.notifier.idle();
    return res;
  };
  const messagesOf = async (paymentId: string, of = merchant) => (await api(t, of).get(`/payments/${paymentId}/messages`).expect(200)).body.data as Record<string, string>[];

  it('sends the template in the buyer language with the bare token as the button suffix; opening the link pays', async () => {
    const buyer = await createBuyer(t);
    const p = await sendByWhatsapp(buyer.phone, { lang: 'de' });
    assert.equal(p.status, 201);
    const token = p.body.link_url.split('/').pop();
    const sent = fake.sent.at(-1)!;
    assert.deepEqual(sent, { id: sent.id, to: buyer.phone, template: 'telepurse_pay_link', lang: 'de', body: ['2.00 USD', 'Test Shop'], button: token });
    assert.deepEqual(fake.refused, []);
    assert.equal(sms.to(buyer.phone).length, 0, 'no SMS besides the WhatsApp message');
    const [m] = await messagesOf(p.body.id);
    assert.deepEqual([m!.channel, m!.kind, m!.status, m!.gateway, m!.gateway_message_id], ['whatsapp', 'link', 'sent', 'whatsapp', sent.id]);
    assert.ok(!JSON.stringify(m).includes(token), 'the message list never shows the token');

    await t.http.get(new URL(p.body.link_url).pathname).expect(303);
    const paid = await api(t, merchant).post(`/payments/${p.body.id}/confirm`, { code: lastCode(t, buyer.phone) }).expect(200);
    assert.equal(paid.body.status, 'succeeded');
    assert.equal(await walletBalance(t, buyer.purse), '98.00');
    await assertLedgerClean(t);
  });

  it('delivered and read statuses show in /messages and in the office timeline, and never go backwards', async () => {
    const buyer = await createBuyer(t);
    const p = await sendByWhatsapp(buyer.phone);
    const { id } = fake.sent.at(-1)!;
    assert.equal((await fake.postStatus(t.url, [{ id, status: 'delivered', recipient: buyer.phone }])).status, 200);
    assert.equal((await messagesOf(p.body.id))[0]!.status, 'delivered');
    await fake.postStatus(t.url, [{ id, status: 'read', recipient: buyer.phone }]);
    await fake.postStatus(t.url, [{ id, status: 'delivered', recipient: buyer.phone }]);
    assert.equal((await messagesOf(p.body.id))[0]!.status, 'read', 'delivered after read stays read');
    const owner = await officeUser(t, merchant, 'owner');
    const page = await owner.agent.get(`/office/payments/${p.body.id}`).expect(200);
    assert.match(page.text, /<li data-channel="whatsapp" data-status="read">/);
  });

  it('a bad signature is 401 and changes nothing', async () => {
    const buyer = await createBuyer(t);
    const p = await sendByWhatsapp(buyer.phone);
    const { id } = fake.sent.at(-1)!;
    const wrongSecret = await fake.postStatus(t.url, [{ id, status: 'failed', recipient: buyer.phone, errorCode: 131026 }], { secret: 'not-the-app-secret' });
    assert.equal(wrongSecret.status, 401);
    const noSignature = await fake.postStatus(t.url, [{ id, status: 'delivered', recipient: buyer.phone }], { signature: '' });
    assert.equal(noSignature.status, 401);
    const messages = await messagesOf(p.body.id);
    assert.deepEqual(messages.map((m) => [m.channel, m.status]), [['whatsapp', 'sent']]);
    assert.equal(sms.to(buyer.phone).length, 0, 'no fallback SMS');
  });

  it('answers the verification GET only with the verify token', async () => {
    const ok = await t.http.get('/hooks/whatsapp').query({ 'hub.mode': 'subscribe', 'hub.verify_token': SECRETS.verifyToken, 'hub.challenge': '1158201444' }).expect(200);
    assert.equal(ok.text, '1158201444');
    assert.match(ok.headers['content-type']!, /^text\/plain/);
    await t.http.get('/hooks/whatsapp').query({ 'hub.mode': 'subscribe', 'hub.verify_token': 'wrong', 'hub.challenge': '1158201444' }).expect(403);
    await t.http.get('/hooks/whatsapp').query({ 'hub.mode': 'unsubscribe', 'hub.verify_token': SECRETS.verifyToken, 'hub.challenge': '1' }).expect(403);
  });

  it('131026 at send time falls back to SMS once', async () => {
    const buyer = await createBuyer(t);
    const before = fake.sent.length;
    fake.answers.push({ code: 131026, message: 'Message undeliverable' });
    const p = await sendByWhatsapp(buyer.phone);
    assert.equal(fake.sent.length, before);
    const [fallback, ...more] = sms.to(buyer.phone);
    assert.equal(more.length, 0);
    assert.ok(fallback!.text.includes('2.00 USD') && fallback!.text.endsWith(p.body.link_url), fallback!.text);
    const messages = await messagesOf(p.body.id);
    assert.deepEqual(messages.map((m) => [m.channel, m.status]), [['whatsapp', 'failed'], ['sms', 'sent']]);
    assert.match(messages[0]!.error!, /131026/);
    t.clock.advanceSeconds(3600);
    await t.app.notifier.sweep();
    assert.equal(sms.to(buyer.phone).length, 1, 'the failed message is not tried again, nor replaced twice');
  });

  it('a failed status webhook falls back to SMS once, however often it comes', async () => {
    const buyer = await createBuyer(t);
    const p = await sendByWhatsapp(buyer.phone);
    const { id } = fake.sent.at(-1)!;
    for (let i = 0; i < 2; i++) await fake.postStatus(t.url, [{ id, status: 'failed', recipient: buyer.phone, errorCode: 131047 }]);
    await t.app.notifier.idle();
    assert.equal(sms.to(buyer.phone).length, 1);
    assert.deepEqual((await messagesOf(p.body.id)).map((m) => [m.channel, m.status]), [['whatsapp', 'failed'], ['sms', 'sent']]);
  });

  it('130429 is retried on the outbox schedule, with no SMS fallback', async () => {
    const buyer = await createBuyer(t);
    const before = fake.sent.length;
    fake.answers.push({ code: 130429, message: 'Rate limit hit' });
    const p = await sendByWhatsapp(buyer.phone);
    assert.equal(fake.sent.length, before);
    assert.equal((await messagesOf(p.body.id))[0]!.status, 'failed');
    await t.app.notifier.sweep();
    assert.equal(fake.sent.length, before, 'not before its time');
    t.clock.advanceSeconds(t.config.notifyRetrySchedule[0]! + 1);
    await t.app.notifier.sweep();
    assert.equal(fake.sent.length, before + 1);
    assert.equal(fake.sent.at(-1)!.to, buyer.phone);
    assert.deepEqual((await messagesOf(p.body.id)).map((m) => [m.channel, m.status]), [['whatsapp', 'sent']]);
    assert.equal(sms.to(buyer.phone).length, 0);
  });

  it('the per-phone limits count WhatsApp messages with SMS ones', async () => {
    const buyer = await createBuyer(t);
    await sendByWhatsapp(buyer.phone);
    await sendByWhatsapp(buyer.phone);
    await api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount: '1.00', phone: buyer.phone, send: 'link' }).expect(201);
    const refused = await sendByWhatsapp(buyer.phone);
    assert.equal(refused.status, 429);
    assert.equal(refused.body.code, 'rate_limited');
  });

  it('receipts go by WhatsApp where the shop says so (the token as button suffix), and fall back to SMS once with the link revealed', async () => {
    const shopMerchant = await createTestMerchant(t);
    const shopId = (await t.admin('get', `/admin/v1/merchants/${shopMerchant.id}`)).body.shop_id;
    await api(t, shopMerchant).patch(`/shops/${shopId}`, { receipt: { channel: 'whatsapp' } }).expect(200);
    const { payment, buyer } = await payNow(t, shopMerchant, '10.00', {}, { notified: true });
    const receipt = fake.sent.at(-1)!;
    assert.deepEqual([receipt.to, receipt.template, receipt.lang, receipt.body], [buyer.phone, 'telepurse_receipt', 'en', ['10.00 USD', 'Test Shop']]);
    assert.match(receipt.button, /^[A-Za-z0-9_-]{22}$/);
    rememberSecret(receipt.button);
    await t.http.get(`/r/${receipt.button}`).expect(200);
    assert.equal(sms.to(buyer.phone).filter((m) => m.text.includes('/r/')).length, 0, 'no receipt SMS besides the WhatsApp one');

    fake.answers.push({ code: 131026 });
    await api(t, shopMerchant).post(`/payments/${payment.id}/refunds`, { amount: '1.00' }).expect(201);
    await t.app.notifier.idle();
    const fallback = sms.to(buyer.phone).filter((m) => m.text.includes('/r/'));
    assert.equal(fallback.length, 1);
    assert.ok(fallback[0]!.text.includes(`/r/${receipt.button}`), `the SMS carries the real link: ${fallback[0]!.text}`);
    const kinds = (await messagesOf(payment.id, shopMerchant)).map((m) => [m.kind, m.channel, m.status]);
    assert.deepEqual(kinds.slice(-3), [['receipt', 'whatsapp', 'sent'], ['refund', 'whatsapp', 'failed'], ['refund', 'sms', 'sent']]);
  });

  it('a receipt whose WhatsApp keeps answering a retryable error through the whole outbox schedule falls back to SMS once', async () => {
    const shopMerchant = await createTestMerchant(t);
    const shopId = (await t.admin('get', `/admin/v1/merchants/${shopMerchant.id}`)).body.shop_id;
    await api(t, shopMerchant).patch(`/shops/${shopId}`, { receipt: { channel: 'whatsapp' } }).expect(200);
    const schedule = t.config.notifyRetrySchedule;
    // the first try and every retry of the schedule: rate-limited each time
    for (let i = 0; i <= schedule.length; i++) fake.answers.push({ code: 130429, message: 'Rate limit hit' });
    const sentBefore = fake.sent.length;
    const { payment, buyer } = await payNow(t, shopMerchant, '6.00', {}, { notified: true });
    await t.app.notifier.idle();
    for (const seconds of schedule) {
      assert.equal(sms.to(buyer.phone).filter((m) => m.text.includes('/r/')).length, 0, 'no fallback while retries are left');
      t.clock.advanceSeconds(seconds + 1);
      await t.app.notifier.sweep();
      await t.app.notifier.idle();
    }
    assert.equal(fake.answers.length, 0, 'every retry of the schedule was tried');
    assert.equal(fake.sent.length, sentBefore, 'WhatsApp never took it');
    const fallback = sms.to(buyer.phone).filter((m) => m.text.includes('/r/'));
    assert.equal(fallback.length, 1, 'one SMS, once the schedule gave up');
    await t.app.notifier.sweep();
    assert.equal(sms.to(buyer.phone).filter((m) => m.text.includes('/r/')).length, 1, 'and only once');
    const kinds = (await messagesOf(payment.id, shopMerchant)).map((m) => [m.kind, m.channel, m.status]);
    assert.deepEqual(kinds.slice(-2), [['receipt', 'whatsapp', 'failed'], ['receipt', 'sms', 'sent']]);
  });

  it('the office sends by WhatsApp, or shares: nothing sent, both links shown', async () => {
    const owner = await officeUser(t, merchant, 'owner');
    const form = await owner.agent.get('/office/links/new').expect(200);
    assert.deepEqual([...form.text.matchAll(/name="channel" value="(\w+)"/g)].map((m) => m[1]), ['sms', 'whatsapp', 'share']);
    const shopId = (await t.admin('get', `/admin/v1/merchants/${merchant.id}`)).body.shop_id;
    const post = async (phone: string, channel: string) => {
      const page = await owner.agent.get('/office/links/new').expect(200);
      return owner.agent.post('/office/links/new').type('form')
        .send({ _csrf: owner.csrf, _once: onceOf(page.text, '/office/links/new'), shop_id: shopId, amount: '4.20', phone: `+${phone}`, channel }).expect(200);
    };
    const buyer = await createBuyer(t);
    const before = fake.sent.length;
    await post(buyer.phone, 'whatsapp');
    await t.app.notifier.idle();
    assert.equal(fake.sent.length, before + 1);
    assert.deepEqual(fake.sent.at(-1)!.body, ['4.20 USD', 'Test Shop']);

    const other = await createBuyer(t);
    const shared = await post(other.phone, 'share');
    await t.app.notifier.idle();
    assert.equal(fake.sent.length, before + 1, 'share sends nothing by WhatsApp');
    assert.equal(sms.to(other.phone).length, 0, 'nor by SMS');
    const url = /id="share_url"[^>]*value="([^"]+)"/.exec(shared.text)![1]!;
    rememberSecret(url.split('/').pop());
    const text = encodeURIComponent(`Pay 4.20 USD to Test Shop: ${url}`).replace(/&/g, '&amp;');
    assert.ok(shared.text.includes(`data-share="whatsapp" href="https://wa.me/${other.phone}?text=${text}"`), 'the wa.me link');
    assert.ok(shared.text.includes(`data-share="sms" href="sms:+${other.phone}?&amp;body=${text}"`), 'the sms: link');
    const opened = await t.http.get(new URL(url).pathname).expect(303);
    assert.ok(opened.headers.location, 'the shared link opens the payment');
  });

  it('refuses channel without a pay link; test-mode messages reach the dev inbox marked WhatsApp', async () => {
    const buyer = await createBuyer(t);
    const bad = await api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount: '1.00', phone: buyer.phone, channel: 'whatsapp' }).expect(400);
    assert.equal(bad.body.errors[0].field, 'channel');
    const testMerchant = await createTestMerchant(t, { mode: 'test' });
    const testBuyer = await createBuyer(t, '10.00', { mode: 'test' });
    const before = fake.sent.length;
    await api(t, testMerchant).post('/payments', { payee_purse: testMerchant.purse, amount: '1.00', phone: testBuyer.phone, send: 'link', channel: 'whatsapp' }).expect(201);
    await t.app.notifier.idle();
    assert.equal(fake.sent.length, before, 'test mode never reaches WhatsApp');
    const inbox = await t.http.get('/dev/sms').expect(200);
    assert.match(inbox.text, /<tr data-channel="whatsapp">/);
  });
});

describe('pay links by WhatsApp, not configured', () => {
  let t: TestApp;
  before(async () => (t = await startTestApp()));
  after(async () => t?.close());

  it('refuses channel whatsapp with 422 before creating anything; the verify GET and statuses are refused', async () => {
    const merchant = await createTestMerchant(t);
    const buyer = await createBuyer(t);
    const res = await api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount: '1.00', phone: buyer.phone, send: 'link', channel: 'whatsapp' }).expect(422);
    assert.equal(res.body.code, 'channel_not_configured');
    const list = await api(t, merchant).get('/payments').expect(200);
    assert.equal(list.body.data.length, 0);
    await t.http.get('/hooks/whatsapp').query({ 'hub.mode': 'subscribe', 'hub.verify_token': '', 'hub.challenge': '1' }).expect(403);
    await t.http.post('/hooks/whatsapp').set('Content-Type', 'application/json').send('{}').expect(401);
  });
});
