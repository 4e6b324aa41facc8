import assert from 'node:assert/strict';
import { useTestApp } from '../helpers/test-app.js';
import { createTestMerchant, createBuyer, lastCode } from '../helpers/merchant.js';
import { assertLedgerClean, walletBalance } from '../helpers/payments.js';
import { HostedPage, fieldsOf } from '../helpers/hosted-page.js';
import { query } from '../../lib/postgres/db.js';
import { expireDuePayments } from '../../lib/use-cases/payments/expire-payments.js';
import { lmiDate, paymentFormSign } from '../../lib/domain/lmi.js';

describe('pay by the Merchant Interface form and the hosted pages', () => {
  // the random draw of LMI_SIM_MODE=2 is fixed above 0.8: "the 20 % that fail"
  const t = useTestApp({ random: () => 0.9 });
  const shop = { result_url: 'http://127.0.0.1:9/result', success_url: 'https://shop.example.com/ok?src=tp', fail_url: 'https://shop.example.com/sorry' };

  it('pays end to end: form → phone → code → Success URL with the exact fields, money moved exactly', async () => {
    const merchant = await createTestMerchant(t, shop);
    const buyer = await createBuyer(t, '20.00');
    const page = await HostedPage.fromForm(t, {
      LMI_PAYEE_PURSE: merchant.purse, LMI_PAYMENT_AMOUNT: '12.08', LMI_PAYMENT_NO: '1042', LMI_PAYMENT_DESC: 'T-shirt, size M',
      order_ref: 'A-77', 'cart[0]': 'shirt', zeta: 'last',
    });

    const summary = await page.view();
    assert.equal(summary.status, 200);
    assert.match(summary.text, /Test Shop/);
    assert.match(summary.text, /12\.08/);
    assert.match(summary.text, /T-shirt, size M/);
    assert.match(summary.text, /<input id="phone" type="tel" name="phone" autocomplete="tel"/);
    assert.match(summary.text, /<label for="phone">/);

    const sent = await page.submit('phone', { phone: `+${buyer.phone.slice(0, 1)} ${buyer.phone.slice(1, 4)} ${buyer.phone.slice(4)}` });
    assert.equal(sent.status, 303);
    const codeForm = await page.follow(sent);
    assert.match(codeForm.text, /<input id="code" name="code" inputmode="numeric" autocomplete="one-time-code"/);
    assert.match(codeForm.text, /<label for="code">/);

    const paid = await page.submit('code', { code: lastCode(t, buyer.phone) });
    assert.equal(paid.status, 303);
    const final = await page.follow(paid);
    assert.equal(final.status, 303);
    assert.ok(final.headers.location!.startsWith('https://shop.example.com/ok?src=tp&'));

    const [row] = await query<{ invoice_no: bigint; transfer_id: bigint; paid_at: Date }>(t.database.db, 'select invoice_no, transfer_id, paid_at from payments where id = ?', [page.paymentId]);
    assert.deepEqual(fieldsOf(final.headers.location!), [
      ['src', 'tp'],
      ['LMI_PAYMENT_NO', '1042'],
      ['LMI_SYS_INVS_NO', String(row!.invoice_no)],
      ['LMI_SYS_TRANS_NO', String(row!.transfer_id)],
      ['LMI_SYS_TRANS_DATE', lmiDate(row!.paid_at)],
      ['LMI_TELEPAT_PHONENUMBER', buyer.phone],
      ['LMI_TELEPAT_ORDERID', page.paymentId],
      ['order_ref', 'A-77'],
      ['cart[0]', 'shirt'],
      ['zeta', 'last'],
    ]);
    assert.equal(await walletBalance(t, buyer.purse), '7.92');
    assert.equal(await walletBalance(t, merchant.purse), '12.08');
    const [outbox] = await query<{ n: number }>(t.database.db, `select count(*)::int as n from notifications where payment_id = ? and kind = 'result'`, [page.paymentId]);
    assert.equal(outbox!.n, 1, 'the Result notification was written with the payment');
    await assertLedgerClean(t);
  });

  it('sends the buyer by POST (auto-submitting form with a visible button) or LINK (no fields)', async () => {
    const post = await createTestMerchant(t, { ...shop, success_method: 'POST', fail_method: 'LINK' });
    const buyer = await createBuyer(t);
    const page = await HostedPage.fromForm(t, { LMI_PAYEE_PURSE: post.purse, LMI_PAYMENT_AMOUNT: '1', mine: 'x&"<y>' });
    await page.submit('phone', { phone: buyer.phone });
    const done = await page.follow(await page.submit('code', { code: lastCode(t, buyer.phone) }));
    assert.equal(done.status, 200);
    assert.match(done.text, /<form method="post" action="https:\/\/shop\.example\.com\/ok\?src=tp" data-autosubmit>/);
    assert.match(done.text, /<input type="hidden" name="LMI_TELEPAT_ORDERID" value="pay_/);
    assert.match(done.text, /<input type="hidden" name="mine" value="x&amp;&quot;&lt;y&gt;">/);
    assert.match(done.text, /<button type="submit">Continue to the shop<\/button>/);
    assert.match(done.text, /<script src="\/assets\/autosubmit.js" defer>/);

    const cancelled = await HostedPage.fromForm(t, { LMI_PAYEE_PURSE: post.purse, LMI_PAYMENT_AMOUNT: '1', mine: 'x' });
    const gone = await cancelled.follow(await cancelled.submit('cancel'));
    assert.equal(gone.status, 303);
    assert.equal(gone.headers.location, 'https://shop.example.com/sorry');
  });

  it('sends a cancelled payment to the Fail URL with an empty LMI_SYS_TRANS_NO', async () => {
    const merchant = await createTestMerchant(t, shop);
    const page = await HostedPage.fromForm(t, { LMI_PAYEE_PURSE: merchant.purse, LMI_PAYMENT_AMOUNT: '3.50', LMI_PAYMENT_NO: '5' });
    const gone = await page.follow(await page.submit('cancel'));
    assert.equal(gone.status, 303);
    const fields = new Map(fieldsOf(gone.headers.location!));
    assert.ok(gone.headers.location!.startsWith('https://shop.example.com/sorry?'));
    assert.equal(fields.get('LMI_SYS_TRANS_NO'), '');
    assert.equal(fields.get('LMI_TELEPAT_PHONENUMBER'), '');
    assert.equal(fields.get('LMI_TELEPAT_ORDERID'), page.paymentId);
    assert.match(fields.get('LMI_SYS_TRANS_DATE')!, /^\d{8} \d{2}:\d{2}:\d{2}$/);
    const [row] = await query<{ status: string; failure_reason: string }>(t.database.db, 'select status, failure_reason from payments where id = ?', [page.paymentId]);
    assert.deepEqual(row, { status: 'failed', failure_reason: 'cancelled' });
  });

  it('re-shows the code form with the tries left after a wrong code', async () => {
    const merchant = await createTestMerchant(t, shop);
    const buyer = await createBuyer(t);
    const page = await HostedPage.fromForm(t, { LMI_PAYEE_PURSE: merchant.purse, LMI_PAYMENT_AMOUNT: '2' });
    await page.submit('phone', { phone: buyer.phone });
    const right = lastCode(t, buyer.phone);
    const wrong = right === '0000' ? '1111' : '0000';
    const res = await page.submit('code', { code: wrong });
    assert.equal(res.status, 422);
    assert.match(res.text, /role="alert"/);
    assert.match(res.text, /2 tries left/);
    assert.match(res.text, /aria-invalid="true"/);
    const paid = await page.follow(await page.submit('code', { code: right }));
    assert.equal(paid.status, 303);
    assert.ok(paid.headers.location!.startsWith('https://shop.example.com/ok'));
  });

  it('refuses a page form posted without the CSRF token of this browser', async () => {
    const merchant = await createTestMerchant(t, shop);
    const buyer = await createBuyer(t);
    const page = await HostedPage.fromForm(t, { LMI_PAYEE_PURSE: merchant.purse, LMI_PAYMENT_AMOUNT: '2' });
    await page.view();
    const forged = await t.http.post(`/pay/${page.paymentId}/phone`).type('form').send(`phone=${buyer.phone}&csrf=forged`);
    assert.equal(forged.status, 403);
    assert.match(forged.headers['content-type']!, /text\/html/);
    const [row] = await query<{ status: string }>(t.database.db, 'select status from payments where id = ?', [page.paymentId]);
    assert.equal(row!.status, 'created');
  });

  it('applies the LMI_PAYMENT_NO rules: an open payment with the same amount resumes, another amount or a paid order is refused', async () => {
    const merchant = await createTestMerchant(t, shop);
    const buyer = await createBuyer(t);
    const first = await HostedPage.fromForm(t, { LMI_PAYEE_PURSE: merchant.purse, LMI_PAYMENT_AMOUNT: '4.00', LMI_PAYMENT_NO: '900' });
    const again = await HostedPage.fromForm(t, { LMI_PAYEE_PURSE: merchant.purse, LMI_PAYMENT_AMOUNT: '4', LMI_PAYMENT_NO: '900' });
    assert.equal(again.paymentId, first.paymentId);
    const other = await t.http.post('/lmi/payment').type('form').send(`LMI_PAYEE_PURSE=${merchant.purse}&LMI_PAYMENT_AMOUNT=5&LMI_PAYMENT_NO=900`);
    assert.equal(other.status, 409);
    assert.match(other.text, /open payment of another amount/);

    await first.submit('phone', { phone: buyer.phone });
    await first.submit('code', { code: lastCode(t, buyer.phone) });
    const paidAgain = await t.http.post('/lmi/payment').type('form').send(`LMI_PAYEE_PURSE=${merchant.purse}&LMI_PAYMENT_AMOUNT=4&LMI_PAYMENT_NO=900`);
    assert.equal(paidAgain.status, 409);
    assert.match(paidAgain.text, /already paid/);
    const [count] = await query<{ n: number }>(t.database.db, `select count(*)::int as n from payments where payee_purse = ? and payment_no = 900`, [merchant.purse]);
    assert.equal(count!.n, 1);
  });

  it('accepts a form signed with LMI_PAYMENTFORM_SIGN and refuses one changed in the browser', async () => {
    const merchant = await createTestMerchant(t, { ...shop, require_signed_forms: true });
    const sign = paymentFormSign(merchant.purse, '10.00', '77', merchant.secretKey);
    const signed = await HostedPage.fromForm(t, { LMI_PAYEE_PURSE: merchant.purse, LMI_PAYMENT_AMOUNT: '10.00', LMI_PAYMENT_NO: '77', LMI_PAYMENTFORM_SIGN: sign });
    assert.match(signed.paymentId, /^pay_/);
    const tampered = await t.http.post('/lmi/payment').type('form').send(`LMI_PAYEE_PURSE=${merchant.purse}&LMI_PAYMENT_AMOUNT=1.00&LMI_PAYMENT_NO=78&LMI_PAYMENTFORM_SIGN=${paymentFormSign(merchant.purse, '10.00', '78', merchant.secretKey)}`);
    assert.equal(tampered.status, 400);
    assert.match(tampered.text, /signature does not match/);
    const unsigned = await t.http.post('/lmi/payment').type('form').send(`LMI_PAYEE_PURSE=${merchant.purse}&LMI_PAYMENT_AMOUNT=1.00`);
    assert.equal(unsigned.status, 400);
    assert.match(unsigned.text, /LMI_PAYMENTFORM_SIGN/);
  });

  it('takes the description from LMI_PAYMENT_DESC_BASE64 when both are sent', async () => {
    const merchant = await createTestMerchant(t, shop);
    const page = await HostedPage.fromForm(t, {
      LMI_PAYEE_PURSE: merchant.purse, LMI_PAYMENT_AMOUNT: '1', LMI_PAYMENT_DESC: 'plain',
      LMI_PAYMENT_DESC_BASE64: Buffer.from('Футболка «Телепёрс»', 'utf8').toString('base64'),
    });
    assert.match((await page.view()).text, /Футболка «Телепёрс»/);
  });

  it('lets the buyer correct a phone that has no wallet; giving up then fails the payment as no_wallet', async () => {
    const merchant = await createTestMerchant(t, shop);
    const buyer = await createBuyer(t);
    const page = await HostedPage.fromForm(t, { LMI_PAYEE_PURSE: merchant.purse, LMI_PAYMENT_AMOUNT: '1' });
    const mistyped = await page.submit('phone', { phone: '+7 903 999-00-11' });
    assert.equal(mistyped.status, 409);
    assert.match(mistyped.text, /No wallet is linked to this phone number/);
    assert.match(mistyped.text, /name="phone"[^>]*value="\+7 903 999-00-11"/, 'the typed number is shown again to correct');
    const [open] = await query<{ status: string }>(t.database.db, 'select status from payments where id = ?', [page.paymentId]);
    assert.equal(open!.status, 'created', 'a mistyped number does not end the payment');

    const corrected = await page.follow(await page.submit('phone', { phone: buyer.phone }));
    assert.match(corrected.text, /name="code"/);
    const paid = await page.follow(await page.submit('code', { code: lastCode(t, buyer.phone) }));
    assert.equal(paid.status, 303);
    assert.ok(paid.headers.location!.startsWith('https://shop.example.com/ok'), paid.headers.location);

    const other = await HostedPage.fromForm(t, { LMI_PAYEE_PURSE: merchant.purse, LMI_PAYMENT_AMOUNT: '1' });
    await other.submit('phone', { phone: '+7 903 999-00-12' });
    const gaveUp = await other.follow(await other.submit('cancel'));
    assert.equal(gaveUp.status, 303);
    assert.ok(gaveUp.headers.location!.startsWith('https://shop.example.com/sorry'));
    const [row] = await query<{ failure_reason: string }>(t.database.db, 'select failure_reason from payments where id = ?', [other.paymentId]);
    assert.equal(row!.failure_reason, 'no_wallet');
  });

  it('fails an abandoned payment whose last phone had no wallet as no_wallet when it expires', async () => {
    const merchant = await createTestMerchant(t, shop);
    const page = await HostedPage.fromForm(t, { LMI_PAYEE_PURSE: merchant.purse, LMI_PAYMENT_AMOUNT: '1' });
    await page.submit('phone', { phone: '+7 903 999-00-13' });
    t.clock.advance(31 * 60_000);
    await expireDuePayments(t.app.deps);
    const [row] = await query<{ status: string; failure_reason: string }>(t.database.db, 'select status, failure_reason from payments where id = ?', [page.paymentId]);
    assert.deepEqual([row!.status, row!.failure_reason], ['failed', 'no_wallet']);
  });

  it('shows its own result page when the merchant has no Success URL', async () => {
    const merchant = await createTestMerchant(t, { result_url: 'http://127.0.0.1:9/result' });
    const buyer = await createBuyer(t);
    const page = await HostedPage.fromForm(t, { LMI_PAYEE_PURSE: merchant.purse, LMI_PAYMENT_AMOUNT: '1.5' });
    await page.submit('phone', { phone: buyer.phone });
    const done = await page.follow(await page.submit('code', { code: lastCode(t, buyer.phone) }));
    assert.equal(done.status, 200);
    assert.match(done.text, /Payment complete/);
    assert.match(done.text.replace(/[\u2066\u2069]/g, ''), /1\.50 USD were paid to Test Shop/);
  });

  it('honours LMI_SIM_MODE for test merchants only', async () => {
    const testShop = await createTestMerchant(t, { ...shop, mode: 'test' });
    const testBuyer = await createBuyer(t, '10.00', { mode: 'test' });
    const outcome = async (purse: string, phone: string, simMode: string) => {
      const page = await HostedPage.fromForm(t, { LMI_PAYEE_PURSE: purse, LMI_PAYMENT_AMOUNT: '1', LMI_SIM_MODE: simMode });
      await page.submit('phone', { phone });
      await page.submit('code', { code: lastCode(t, phone) });
      const [row] = await query<{ status: string; failure_reason: string | null }>(t.database.db, 'select status, failure_reason from payments where id = ?', [page.paymentId]);
      return `${row!.status}/${row!.failure_reason}`;
    };
    assert.equal(await outcome(testShop.purse, testBuyer.phone, '1'), 'failed/simulated');
    assert.equal(await outcome(testShop.purse, testBuyer.phone, '2'), 'failed/simulated');
    assert.equal(await outcome(testShop.purse, testBuyer.phone, '0'), 'succeeded/null');
    const liveShop = await createTestMerchant(t, shop);
    const liveBuyer = await createBuyer(t);
    assert.equal(await outcome(liveShop.purse, liveBuyer.phone, '1'), 'succeeded/null');
  });
});
