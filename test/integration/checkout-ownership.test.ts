import assert from 'node:assert/strict';
import supertest from 'supertest';
import { useTestApp } from '../helpers/test-app.js';
import { createTestMerchant, createBuyer, lastCode, api } from '../helpers/merchant.js';
import { HostedPage } from '../helpers/hosted-page.js';
import { query } from '../../lib/postgres/db.js';

/** docs/merchant-guide.md#the-form: the hosted page's steps belong to the browser that started them. */
describe('a second browser on an open order', () => {
  const t = useTestApp();
  const shop = { result_url: 'http://127.0.0.1:9/result', success_url: 'https://shop.example.com/ok', fail_url: 'https://shop.example.com/sorry' };

  const stranger = () => supertest.agent(t.app.koa.callback());
  // the last four digits, as a masked phone shows them; an error page's request id (a UUID) is not the phone
  const showsPhone = (text: string, phone: string) => text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '').includes(phone.slice(-4));
  const wrongTries = async (phone: string) =>
    (await query<{ n: number }>(t.database.db, 'select count(*)::int as n from phone_wrong_tries where phone = ?', [phone]))[0]!.n;

  it('learns nothing and cannot act: the buyer still pays with his code', async () => {
    const merchant = await createTestMerchant(t, shop);
    const buyer = await createBuyer(t, '50.00');
    const order = { LMI_PAYEE_PURSE: merchant.purse, LMI_PAYMENT_AMOUNT: '5.00', LMI_PAYMENT_NO: '7' };
    const page = await HostedPage.fromForm(t, order);
    await page.submit('phone', { phone: buyer.phone });
    const buyersCsrf = await page.csrf();

    const other = stranger();
    const resumed = await other.post('/lmi/payment').type('form').send(new URLSearchParams(order).toString());
    assert.equal(resumed.status, 409, 'the same order from another browser does not resume it');
    assert.match(resumed.text, /This order is being paid/);
    assert.ok(!showsPhone(resumed.text, buyer.phone) && !resumed.text.includes(page.paymentId), 'neither the phone nor the payment id');

    const viewed = await other.get(`/pay/${page.paymentId}`);
    assert.equal(viewed.status, 409);
    assert.match(viewed.text, /This order is being paid/);
    assert.ok(!showsPhone(viewed.text, buyer.phone), 'no phone on the page');
    assert.ok(!/<form/.test(viewed.text), 'no forms');

    // direct POSTs, with no token and with the buyer's token (a token alone is not enough: it is bound to the buyer's cookies)
    for (const action of ['phone', 'code', 'resend', 'cancel']) {
      for (const csrf of ['', buyersCsrf]) {
        const res = await other.post(`/pay/${page.paymentId}/${action}`).type('form').send(new URLSearchParams({ csrf, phone: '+79990001122', code: '0000' }).toString());
        assert.equal(res.status, 403, `${action} is refused`);
        assert.ok(!showsPhone(res.text, buyer.phone), `${action}: no phone on the refusal`);
      }
    }
    assert.equal(await wrongTries(buyer.phone), 0, "the stranger burnt none of the buyer's tries");
    const [row] = await query<{ status: string; phone: string }>(t.database.db, 'select status, phone from payments where id = ?', [page.paymentId]);
    assert.deepEqual([row!.status, row!.phone], ['code_sent', buyer.phone], 'nothing changed');

    const paid = await page.follow(await page.submit('code', { code: lastCode(t, buyer.phone) }));
    assert.equal(paid.status, 303);
    assert.ok(paid.headers.location!.startsWith('https://shop.example.com/ok'));
    const after = await other.get(`/pay/${page.paymentId}`);
    assert.equal(after.status, 409, `a stranger still sees only that the order is taken, got: ${after.text.slice(0, 2000)}`);
    assert.match(after.text, /This order is being paid/);
    assert.ok(!showsPhone(after.text, buyer.phone) && !after.headers.location, 'not even the way back, whose fields carry the phone');
  });

  it('the browser that started it resumes it by posting the form again', async () => {
    const merchant = await createTestMerchant(t, shop);
    const order = { LMI_PAYEE_PURSE: merchant.purse, LMI_PAYMENT_AMOUNT: '2.00', LMI_PAYMENT_NO: '8' };
    const first = await HostedPage.fromForm(t, order);
    const again = await HostedPage.fromForm(t, order);
    assert.equal(again.paymentId, first.paymentId);
  });

  it('never resumes a payment made through the API by a form', async () => {
    const merchant = await createTestMerchant(t, shop);
    await api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount: '3.00', payment_no: 9 }).expect(201);
    const res = await t.http.post('/lmi/payment').type('form').send(new URLSearchParams({ LMI_PAYEE_PURSE: merchant.purse, LMI_PAYMENT_AMOUNT: '3.00', LMI_PAYMENT_NO: '9' }).toString());
    assert.equal(res.status, 409);
    assert.match(res.text, /This order is being paid/);
  });

  it('an API payment belongs to the first browser that opens its pay_url', async () => {
    const merchant = await createTestMerchant(t, shop);
    const created = await api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount: '3.00' }).expect(201);
    const path = new URL(created.body.pay_url).pathname;
    const owner = stranger();
    assert.equal((await owner.get(path)).status, 200);
    assert.equal((await owner.get(path)).status, 200, 'again for the same browser');
    assert.equal((await stranger().get(path)).status, 409);
  });

  it('two browsers opening one payment at once: exactly one owns it', async () => {
    const merchant = await createTestMerchant(t, shop);
    const created = await api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount: '3.00' }).expect(201);
    const path = new URL(created.body.pay_url).pathname;
    const statuses = await Promise.all(Array.from({ length: 10 }, () => stranger().get(path).then((r) => r.status)));
    assert.deepEqual([statuses.filter((s) => s === 200).length, statuses.filter((s) => s === 409).length], [1, 9]);
  });

  it('a pay link is not bound to the first browser: a link preview fetched by a messaging app does not lock the buyer out', async () => {
    const merchant = await createTestMerchant(t, shop);
    const buyer = await createBuyer(t);
    const created = await api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount: '2.00', phone: buyer.phone, send: 'link' }).expect(201);
    const link = new URL(created.body.link_url).pathname;
    const preview = stranger();
    const previewed = await preview.get(link);
    assert.equal(previewed.status, 303);
    await preview.get(previewed.headers.location!);
    const phoneOwner = stranger();
    const opened = await phoneOwner.get(link);
    assert.equal(opened.status, 303);
    const page = new HostedPage(t, created.body.id, phoneOwner);
    const paid = await page.follow(await page.submit('code', { code: lastCode(t, buyer.phone) }));
    assert.equal(paid.status, 303);
    assert.ok(paid.headers.location!.startsWith('https://shop.example.com/ok'));
  });

  it('a pay link opened many times at once sends one code (the check and the send happen under the payment lock)', async () => {
    const merchant = await createTestMerchant(t, shop);
    const buyer = await createBuyer(t);
    const created = await api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount: '2.00', phone: buyer.phone, send: 'link' }).expect(201);
    const link = new URL(created.body.link_url).pathname;
    const opens = await Promise.all(Array.from({ length: 8 }, () => stranger().get(link)));
    assert.deepEqual([...new Set(opens.map((o) => o.status))], [303]);
    const [codes] = await query<{ n: number }>(t.database.db, 'select count(*)::int as n from payment_codes where payment_id = ?', [created.body.id]);
    assert.equal(codes!.n, 1);
    assert.equal(t.app.sms.devInbox.inbox(`+${buyer.phone}`).filter((m) => /#\d+$/.test(m.text)).length, 1, 'one code SMS besides the link');
    lastCode(t, buyer.phone);
  });
});

