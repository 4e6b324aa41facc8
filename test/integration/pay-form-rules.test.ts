import assert from 'node:assert/strict';
import { useTestApp } from '../helpers/test-app.js';
import { createTestMerchant, createBuyer, lastCode } from '../helpers/merchant.js';
import { HostedPage, fieldsOf } from '../helpers/hosted-page.js';
import { query } from '../../lib/postgres/db.js';
import { paymentFormSign } from '../../lib/domain/lmi.js';

describe('form rules: signatures, URLs from forms, the pages after a POST', () => {
  const t = useTestApp();
  const shop = { result_url: 'https://shop.example.com/result', success_url: 'https://shop.example.com/ok', fail_url: 'https://shop.example.com/sorry' };

  it('checks LMI_PAYMENTFORM_SIGN over LMI_PAYMENT_NO exactly as posted (007), and reports it back as 7', async () => {
    const merchant = await createTestMerchant(t, { ...shop, require_signed_forms: true });
    const buyer = await createBuyer(t);
    const signed = { LMI_PAYEE_PURSE: merchant.purse, LMI_PAYMENT_AMOUNT: '1.50', LMI_PAYMENT_NO: '007' };
    const page = await HostedPage.fromForm(t, { ...signed, LMI_PAYMENTFORM_SIGN: paymentFormSign(merchant.purse, '1.50', '007', merchant.secretKey) });
    await page.submit('phone', { phone: buyer.phone });
    const done = await page.follow(await page.submit('code', { code: lastCode(t, buyer.phone) }));
    assert.deepEqual(fieldsOf(done.headers.location!).find(([n]) => n === 'LMI_PAYMENT_NO'), ['LMI_PAYMENT_NO', '7']);

    const other = await t.http.post('/lmi/payment').type('form')
      .send(new URLSearchParams({ ...signed, LMI_PAYMENT_NO: '0007', LMI_PAYMENTFORM_SIGN: paymentFormSign(merchant.purse, '1.50', '007', merchant.secretKey) }).toString());
    assert.equal(other.status, 400, 'a changed order number is refused');
    assert.ok(other.text.includes('<strong>LMI_PAYMENTFORM_SIGN</strong>'));
  });

  it('ignores LMI_RESULT_URL / LMI_SUCCESS_URL / LMI_FAIL_URL unless the merchant allows URLs from forms', async () => {
    const overrides = { LMI_RESULT_URL: 'https://shop.example.com/other-result', LMI_SUCCESS_URL: 'https://shop.example.com/other-ok', LMI_FAIL_URL: 'https://shop.example.com/other-fail' };
    const urlsOf = async (id: string) =>
      (await query<{ result_url: string; success_url: string; fail_url: string }>(t.database.db, 'select result_url, success_url, fail_url from payments where id = ?', [id]))[0]!;

    const closed = await createTestMerchant(t, shop);
    const ignored = await HostedPage.fromForm(t, { LMI_PAYEE_PURSE: closed.purse, LMI_PAYMENT_AMOUNT: '1', ...overrides });
    assert.deepEqual(await urlsOf(ignored.paymentId), { result_url: shop.result_url, success_url: shop.success_url, fail_url: shop.fail_url });

    const open = await createTestMerchant(t, { ...shop, allow_form_urls: true });
    const honoured = await HostedPage.fromForm(t, { LMI_PAYEE_PURSE: open.purse, LMI_PAYMENT_AMOUNT: '1', ...overrides });
    assert.deepEqual(await urlsOf(honoured.paymentId), { result_url: overrides.LMI_RESULT_URL, success_url: overrides.LMI_SUCCESS_URL, fail_url: overrides.LMI_FAIL_URL });
  });

  it('after a POST every language link leads to a page, and the tries left use real plural rules', async () => {
    const merchant = await createTestMerchant(t, shop);
    const buyer = await createBuyer(t);
    const page = await HostedPage.fromForm(t, { LMI_PAYEE_PURSE: merchant.purse, LMI_PAYMENT_AMOUNT: '1' });
    await page.submit('phone', { phone: buyer.phone });
    const right = lastCode(t, buyer.phone);
    const wrong = right === '0000' ? '1111' : '0000';
    await page.submit('code', { code: wrong });
    const second = await page.submit('code', { code: wrong });
    assert.equal(second.status, 422);
    assert.match(second.text, /The code is not right\. 1 try left\./);

    const links = [...second.text.matchAll(/<a href="([^"]+)" lang="(\w+)"/g)].map((m) => m[1]!);
    assert.equal(links.length, 5);
    for (const href of links) {
      assert.ok(href.startsWith(`/pay/${page.paymentId}?lang=`), href);
      const res = await t.http.get(href);
      assert.equal(res.status, 200, href);
      assert.match(res.headers['content-type']!, /text\/html/);
    }
    const russian = await t.http.get(`/pay/${page.paymentId}?lang=ru`);
    assert.match(russian.text, /lang="ru"/);
  });

  it('with JavaScript off, the page before the POST back to the shop says the payment succeeded', async () => {
    const merchant = await createTestMerchant(t, { ...shop, success_method: 'POST' });
    const buyer = await createBuyer(t);
    const page = await HostedPage.fromForm(t, { LMI_PAYEE_PURSE: merchant.purse, LMI_PAYMENT_AMOUNT: '1' });
    await t.http.get(`/pay/${page.paymentId}?lang=en`); // the switcher of the test above chose Russian for this browser
    await page.submit('phone', { phone: buyer.phone });
    const done = await page.follow(await page.submit('code', { code: lastCode(t, buyer.phone) }));
    assert.equal(done.status, 200);
    const heading = done.text.indexOf('<h1>Payment complete</h1>');
    const button = done.text.indexOf('<button type="submit">Continue to the shop</button>');
    assert.ok(heading > 0 && button > heading, 'the outcome comes before the button');
  });
});
