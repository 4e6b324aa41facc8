import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { api, createBuyer, createTestMerchant, lastCode, type TestMerchant } from '../helpers/merchant.js';
import { payNow, walletBalance } from '../helpers/payments.js';
import { HostedPage } from '../helpers/hosted-page.js';
import { RecordingGateway } from '../helpers/recording-gateway.js';
import { SmtpSink } from '../helpers/smtp-sink.js';
import { capturedLogLines } from '../helpers/log-capture.js';
import { query } from '../../lib/postgres/db.js';
import { officeUser, onceOf } from '../helpers/office.js';

const LINK = /\/r\/([A-Za-z0-9_-]{22})/;
// amounts on pages are bidi-isolated (domain/money.ts isolatedMoney)
const plain = (html: string) => html.replace(/[\u2066-\u2069]/g, '');

/** docs/buyer-guide.md#receipts: one receipt per payment and per refund, by SMS and e-mail, and the page behind its link. */
describe('receipts to the buyer', () => {
  const live = new RecordingGateway('live-fake');
  const smtp = new SmtpSink();
  let t: TestApp;
  let merchant: TestMerchant;
  let shopId: string;

  before(async () => {
    await smtp.start();
    t = await startTestApp({ smsGateway: live, config: { smtpUrl: smtp.url, mailFrom: 'telepurse <receipts@pay.example>', codes: { maxRefundSmsPerPhonePerDay: 3 } } });
    merchant = await createTestMerchant(t, { name: 'Receipt Shop' });
    shopId = (await t.admin('get', `/admin/v1/merchants/${merchant.id}`)).body.shop_id;
  });
  after(async () => {
    await t.close();
    await smtp.stop();
  });

  const receiptsTo = (phone: string) => live.to(phone).filter((m) => LINK.test(m.text));
  const tokenOf = (text: string) => LINK.exec(text)![1]!;
  const receiptRows = (paymentId: string) => query<{ kind: string }>(t.database.db, `select kind from notifications where payment_id = ? and body like '%"receipt"%' order by created_at`, [paymentId]);

  it('sends one receipt by SMS and e-mail after an API payment; the link opens the page; the token is kept only as a hash', async () => {
    const { payment, buyer } = await payNow(t, merchant, '12.08', { email: 'Buyer.One@Example.com', payment_no: 77 }, { notified: true });
    const sms = receiptsTo(buyer.phone);
    assert.equal(sms.length, 1);
    assert.match(sms[0]!.text, /^Receipt: you paid 12\.08 USD to Receipt Shop\. http:\/\/[^ ]+\/r\/[A-Za-z0-9_-]{22}$/);
    const token = tokenOf(sms[0]!.text);
    const mails = smtp.to('buyer.one@example.com');
    assert.equal(mails.length, 1);
    assert.equal((await api(t, merchant).get(`/payments/${payment.id}`).expect(200)).body.email, 'buyer.one@example.com', 'the payment object shows the e-mail the receipt went to');
    assert.equal(mails[0]!.parsed.subject, 'Your receipt: 12.08 USD to Receipt Shop');
    assert.match(mails[0]!.parsed.text!, /Amount: 12\.08 USD/);
    assert.equal(tokenOf(mails[0]!.parsed.text!), token);
    assert.ok(String(mails[0]!.parsed.html).includes(`/r/${token}`));

    const [stored] = await query<{ token_hash: string }>(t.database.db, 'select token_hash from receipts where payment_id = ?', [payment.id]);
    assert.equal(stored!.token_hash, createHash('sha256').update(token).digest('hex'));
    const holders = await query(t.database.db, `select 1 from sms_messages where text_redacted like ? union all select 1 from notifications where body like ?`, [`%${token}%`, `%${token}%`]);
    assert.equal(holders.length, 0, 'no stored text holds the token');

    const page = await t.http.get(`/r/${token}`).expect(200);
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.equal(page.headers['referrer-policy'], 'no-referrer');
    assert.match(page.text, new RegExp(`<section class="receipt"[^>]* data-receipt data-payment-id="${payment.id}" data-amount="12.08" data-status="succeeded" data-amount-refunded="0.00">`));
    const text = plain(page.text);
    for (const shown of ['Receipt Shop', '12.08 USD', payment.id, String(payment.invoice_no), String(payment.transaction_no), '77', `•••••••••${buyer.phone.slice(-2)}`]) assert.ok(text.includes(shown), shown);
    assert.ok(!text.includes(buyer.phone), 'the phone is masked to its last 2 digits');
    assert.match(page.text, /<time datetime="\d{4}-\d\d-\d\dT[\d:.]+Z">\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC<\/time>/);
    assert.ok(!page.text.includes('<script>'), 'no inline script: the page works without JavaScript');
    // the SMTP sink adds the mails it got to the captured lines: only the service's own JSON lines are searched
    assert.ok(!capturedLogLines.some((l) => l.startsWith('{') && l.includes(token)), 'the access log redacts /r/ paths');
    assert.ok(capturedLogLines.some((l) => l.startsWith('{') && l.includes('"path":"/r/…"')), 'the receipt request was logged, its token cut');
  });

  it('sends the receipt of a form payment to LMI_PAYMER_EMAIL and shows it on the Success page', async () => {
    const buyer = await createBuyer(t);
    const page = await HostedPage.fromForm(t, { LMI_PAYEE_PURSE: merchant.purse, LMI_PAYMENT_AMOUNT: '3.50', LMI_PAYMER_EMAIL: 'form.buyer@example.com' });
    await page.submit('phone', { phone: buyer.phone });
    const done = await page.follow(await page.submit('code', { code: lastCode(t, buyer.phone) }));
    assert.equal(done.status, 200);
    assert.match(done.text, new RegExp(`data-receipt data-payment-id="${page.paymentId}" data-amount="3.50" data-status="succeeded"`));
    await t.app.notifier.idle();
    const sms = receiptsTo(buyer.phone);
    assert.equal(sms.length, 1);
    const token = tokenOf(sms[0]!.text);
    assert.ok(done.text.includes(`href="/r/${token}"`), 'the Success page links the same receipt');
    const mails = smtp.to('form.buyer@example.com');
    assert.equal(mails.length, 1);
    assert.equal(tokenOf(mails[0]!.parsed.text!), token);
  });

  it('refuses a malformed buyer e-mail on the form and on the API', async () => {
    const form = await t.http.post('/lmi/payment').type('form').send(new URLSearchParams({ LMI_PAYEE_PURSE: merchant.purse, LMI_PAYMENT_AMOUNT: '1', LMI_PAYMER_EMAIL: 'not-mail' }).toString());
    assert.equal(form.status, 400);
    assert.match(form.text, /LMI_PAYMER_EMAIL/);
    const apiAnswer = await api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount: '1.00', email: 'nope@' }).expect(400);
    assert.equal(apiAnswer.body.errors[0].field, 'email');
  });

  it('sends one receipt per refund (also two at once), instead of a separate refund notice, and the page shows every refund', async () => {
    const { payment, buyer } = await payNow(t, merchant, '10.00', { email: 'refunds@example.com' }, { notified: true });
    const client = api(t, merchant);
    const both = await Promise.all([client.post(`/payments/${payment.id}/refunds`, { amount: '2.00' }), client.post(`/payments/${payment.id}/refunds`, { amount: '3.00' })]);
    assert.deepEqual(both.map((r) => r.status), [201, 201]);
    await t.app.notifier.idle();
    const all = live.to(buyer.phone);
    assert.equal(all.length, 4, 'the code, the payment receipt and one receipt per refund: nothing else');
    const refundTexts = receiptsTo(buyer.phone).slice(1).map((m) => m.text).sort();
    assert.match(refundTexts[0]!, /^Receipt Shop refunded 2\.00 USD to your wallet\. Receipt: http:\/\/[^ ]+\/r\/[A-Za-z0-9_-]{22}$/);
    assert.match(refundTexts[1]!, /^Receipt Shop refunded 3\.00 USD/);
    assert.equal(new Set(receiptsTo(buyer.phone).map((m) => tokenOf(m.text))).size, 1, 'every receipt opens the same page');
    assert.deepEqual(smtp.to('refunds@example.com').map((m) => m.parsed.subject).sort(), ['Refund from Receipt Shop: 2.00 USD', 'Refund from Receipt Shop: 3.00 USD', 'Your receipt: 10.00 USD to Receipt Shop']);
    assert.equal((await receiptRows(payment.id)).length, 6);

    const page = await t.http.get(`/r/${tokenOf(all[1]!.text)}`).expect(200);
    assert.match(page.text, /data-status="succeeded" data-amount-refunded="5.00"/);
    assert.equal((page.text.match(/<tr data-refund-id="rfd_/g) ?? []).length, 2);
    assert.ok(plain(page.text).includes('Partly refunded'));
  });

  it('keeps the cap of refund messages a day per phone: past it the money still goes back and the page shows the refund', async () => {
    const { payment, buyer } = await payNow(t, merchant, '10.00', {}, { notified: true });
    const client = api(t, merchant);
    for (let i = 0; i < 4; i++) await client.post(`/payments/${payment.id}/refunds`, { amount: '1.00' }).expect(201);
    await t.app.notifier.idle();
    assert.equal(receiptsTo(buyer.phone).length, 1 + 3, 'the payment receipt and 3 refund receipts (REFUND_SMS_PER_PHONE_PER_DAY=3)');
    assert.equal(await walletBalance(t, buyer.purse), '94.00');
    const page = await t.http.get(`/r/${tokenOf(receiptsTo(buyer.phone)[0]!.text)}`).expect(200);
    assert.equal((page.text.match(/<tr data-refund-id=/g) ?? []).length, 4);
    assert.match(page.text, /data-amount-refunded="4.00"/);
  });

  it('sends one receipt when two confirms race, and one at capture (not at authorization)', async () => {
    const buyer = await createBuyer(t);
    const client = api(t, merchant);
    const created = await client.post('/payments', { payee_purse: merchant.purse, amount: '4.00', phone: buyer.phone }).expect(201);
    const code = lastCode(t, buyer.phone);
    await Promise.all([client.post(`/payments/${created.body.id}/confirm`, { code }), client.post(`/payments/${created.body.id}/confirm`, { code })]);
    await t.app.notifier.idle();
    assert.equal(receiptsTo(buyer.phone).length, 1);

    const manual = await client.post('/payments', { payee_purse: merchant.purse, amount: '6.00', phone: buyer.phone, capture: 'manual' }).expect(201);
    await client.post(`/payments/${manual.body.id}/confirm`, { code: lastCode(t, buyer.phone) }).expect(200);
    await t.app.notifier.idle();
    assert.equal(receiptsTo(buyer.phone).length, 1, 'no receipt while only authorized');
    await client.post(`/payments/${manual.body.id}/capture`, { amount: '5.00' }).expect(200);
    await t.app.notifier.idle();
    const after = receiptsTo(buyer.phone);
    assert.equal(after.length, 2);
    assert.match(after[1]!.text, /you paid 5\.00 USD/);
  });

  it('sends nothing for channel none (the page still opens from the Success page); refuses whatsapp while WhatsApp is not set up', async () => {
    const shop = await api(t, merchant).get(`/shops/${shopId}`).expect(200);
    assert.deepEqual(shop.body.receipt, { channel: 'sms' });
    const refused = await api(t, merchant).patch(`/shops/${shopId}`, { receipt: { channel: 'whatsapp' } }).expect(422);
    assert.equal(refused.body.errors[0].field, 'receipt.channel');
    const bad = await api(t, merchant).patch(`/shops/${shopId}`, { receipt: { channel: 'pigeon' } }).expect(400);
    assert.equal(bad.body.code, 'invalid_request');
    const set = await t.admin('patch', `/admin/v1/shops/${shopId}`).send({ receipt: { channel: 'none' } }).expect(200);
    assert.deepEqual(set.body.receipt, { channel: 'none' });
    try {
      const { payment, buyer } = await payNow(t, merchant, '2.00', { email: 'silent@example.com' }, { notified: true });
      assert.equal(receiptsTo(buyer.phone).length, 0);
      assert.equal(smtp.to('silent@example.com').length, 0);
      assert.equal((await receiptRows(payment.id)).length, 0);
      await api(t, merchant).post(`/payments/${payment.id}/refunds`).expect(201);
      await t.app.notifier.idle();
      assert.equal(live.to(buyer.phone).length, 1, 'the code only');
    } finally {
      await api(t, merchant).patch(`/shops/${shopId}`, { receipt: { channel: 'sms' } }).expect(200);
    }
  });

  it('answers a readable 404 for an unknown token, and speaks the five languages (Arabic right to left)', async () => {
    const wrong = await t.http.get('/r/AAAAAAAAAAAAAAAAAAAAAA').set('Accept-Language', 'ru').expect(404);
    assert.match(wrong.text, /<h1>Чек не найден<\/h1>/);
    await t.http.get('/r/short').expect(404);
    const { buyer } = await payNow(t, merchant, '1.00', {}, { notified: true });
    const path = `/r/${tokenOf(receiptsTo(buyer.phone)[0]!.text)}`;
    const titles = { en: 'Receipt', ru: 'Чек', de: 'Beleg', vi: 'Biên lai', ar: 'إيصال' };
    for (const [lang, title] of Object.entries(titles)) {
      const page = await t.http.get(`${path}?lang=${lang}`).expect(200);
      assert.ok(page.text.includes(`<html lang="${lang}" dir="${lang === 'ar' ? 'rtl' : 'ltr'}">`), lang);
      assert.ok(page.text.includes(`<h1>${title}</h1>`), lang);
      assert.ok(page.text.includes(`href="${path}?lang=en"`), 'the language switcher');
    }
  });
  it('lets the owner pick the channel on the back office shop page (no WhatsApp offered while it is not set up)', async () => {
    const owner = await officeUser(t, merchant, 'owner');
    const page = await owner.agent.get(`/office/shops/${shopId}`).expect(200);
    assert.match(page.text, /<select id="shop-receipt" name="receipt_channel">/);
    assert.match(page.text, /<option value="sms" selected>By SMS<\/option>/);
    assert.ok(!page.text.includes('value="whatsapp"'));
    const form = new URLSearchParams([['_csrf', owner.csrf], ['_once', onceOf(page.text, `/office/shops/${shopId}`)], ['name', 'Receipt Shop'], ['status', 'active'],
      ['methods', 'code'], ['methods', 'link'], ['methods', 'manual_capture'], ['receipt_channel', 'none']]);
    await owner.agent.post(`/office/shops/${shopId}`).type('form').send(form.toString()).expect(303);
    const shown = await owner.agent.get(`/office/shops/${shopId}`).expect(200);
    assert.match(shown.text, /<option value="none" selected>/);
    assert.deepEqual((await api(t, merchant).get(`/shops/${shopId}`).expect(200)).body.receipt, { channel: 'none' });
    await api(t, merchant).patch(`/shops/${shopId}`, { receipt: { channel: 'sms' } }).expect(200);
  });
});
