import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startLiveApp, type LiveApp } from '../helpers/live-app.js';
import { launchBrowser, phoneContext, screenshot, watchConsole, assertAccessible } from '../helpers/browser.js';
import { createBuyer, createTestMerchant, lastCode, type TestMerchant } from '../helpers/merchant.js';
import { payNow } from '../helpers/payments.js';
import { seedDemo } from '../../lib/use-cases/operators/seed-demo.js';

/** docs/buyer-guide.md#receipts in a real browser: the Success page shows the receipt, the SMS link opens it, in English and Arabic. */
describe('receipts in a real browser (headless Chromium, phone-sized)', function () {
  this.timeout(120_000);
  let app: LiveApp;
  let browser: Browser;
  let merchant: TestMerchant;

  before(async () => {
    app = await startLiveApp({ demo: true });
    await seedDemo(app.app.deps);
    // the LINK method: our own page shows the receipt and a link back to the shop
    merchant = await createTestMerchant(app, { name: 'Browser Shop', success_url: `${app.url}/demo/success`, success_method: 'LINK' });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });


  /** The receipt SMS the buyer got, read from the dev inbox (where live SMS go in tests without a gateway). */
  async function receiptLinkOf(phone: string): Promise<string> {
    await app.app.notifier.idle();
    const text = app.app.sms.devInbox.inbox(`+${phone}`).map((m) => m.text).find((m) => m.includes('/r/'));
    const url = text && /https?:\/\/\S+\/r\/[\w-]{22}/.exec(text)?.[0];
    if (!url) throw new Error(`no receipt was sent to ${phone}`);
    return url;
  }

  it('pays on the hosted page, shows the receipt on the Success page, and opens the receipt link of the SMS (English, then Arabic)', async () => {
    const buyer = await createBuyer(app, '50.00');
    const context = await phoneContext(browser);
    const page = await context.newPage();
    const problems = watchConsole(page);
    // the demo shop's form, pointed at this merchant's purse, with the buyer's e-mail as WebMoney names it
    await page.goto(`${app.url}/demo`);
    // (a string: the test's TypeScript has no DOM types; it runs in the page)
    await page.evaluate(`(() => {
      const form = document.querySelector('form');
      form.querySelector('input[name=LMI_PAYEE_PURSE]').value = ${JSON.stringify(merchant.purse)};
      form.querySelector('#amount').value = '7.25';
      form.insertAdjacentHTML('beforeend', '<input type="hidden" name="LMI_PAYMER_EMAIL" value="browser.buyer@example.com">');
    })()`);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/pay\/pay_/);
    await page.fill('#phone', `+${buyer.phone}`);
    await page.click('form[data-phone-form] button[type=submit]');
    await page.waitForSelector('#code');
    await page.fill('#code', lastCode(app, buyer.phone));
    await page.click('form[data-code-form] button[type=submit]');

    await page.waitForSelector('[data-receipt]');
    assert.equal(await page.getAttribute('[data-receipt]', 'data-amount'), '7.25');
    assert.equal(await page.getAttribute('[data-receipt]', 'data-status'), 'succeeded');
    assert.equal(await page.getAttribute('a[data-back-to-shop]', 'href'), `${app.url}/demo/success`);
    await assertAccessible(page, 'the Success page with its receipt');
    await screenshot(page, 'receipt-1-success');

    const link = await receiptLinkOf(buyer.phone);
    assert.equal(await page.getAttribute('a[data-receipt-link]', 'href'), new URL(link).pathname, 'the Success page links the receipt the SMS links');
    await page.goto(link);
    const paymentId = await page.getAttribute('[data-receipt]', 'data-payment-id');
    assert.match(paymentId!, /^pay_/);
    assert.equal(await page.getAttribute('[data-receipt]', 'data-amount-refunded'), '0.00');
    assert.ok(await page.isVisible('text=Browser Shop'));
    assert.ok(await page.isVisible(`text=${buyer.phone.slice(-2)}`));
    // the small script shows the browser's local time; the UTC date is there without it
    assert.equal(await page.isVisible('[data-field="local-time"]'), true);
    await assertAccessible(page, 'the receipt page');
    await screenshot(page, 'receipt-2-page');

    await page.goto(`${link}?lang=ar`);
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    assert.equal(await page.textContent('h1'), 'إيصال');
    const overflow = await page.evaluate('document.documentElement.scrollWidth > window.innerWidth');
    assert.equal(overflow, false, 'nothing wider than the 390 px screen');
    await assertAccessible(page, 'the receipt page in Arabic at 390×844');
    await screenshot(page, 'receipt-3-ar');
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('works without JavaScript: every field is there, the local-time line stays hidden', async () => {
    const buyer = await createBuyer(app, '20.00');
    await payNow(app, merchant, '3.00', {}, { buyer, notified: true });
    const link = await receiptLinkOf(buyer.phone);
    const context = await phoneContext(browser, { javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(link);
    assert.equal(await page.getAttribute('[data-receipt]', 'data-amount'), '3.00');
    assert.equal(await page.isVisible('[data-field="date"] time'), true);
    assert.equal(await page.isVisible('[data-field="local-time"]'), false);
    await screenshot(page, 'receipt-4-nojs');
    await context.close();
  });
});
