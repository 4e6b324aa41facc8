import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startLiveApp, type LiveApp } from '../helpers/live-app.js';
import { launchBrowser, phoneContext, screenshot, watchConsole, assertAccessible } from '../helpers/browser.js';
import { RecordingGateway } from '../helpers/recording-gateway.js';
import { rememberSecret } from '../helpers/log-capture.js';
import { createBuyer, createTestMerchant, lastCode, type TestMerchant } from '../helpers/merchant.js';

describe('the buyer\'s side in a real browser: pay, receipt, /me, voucher (issue 31)', function () {
  this.timeout(120_000);
  const gateway = new RecordingGateway();
  let app: LiveApp;
  let browser: Browser;
  let merchant: TestMerchant;

  before(async () => {
    app = await startLiveApp({ smsGateway: gateway });
    merchant = await createTestMerchant(app, { name: 'Corner Bakery' });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });


  /** The shop's own page posts the Merchant Interface form to the service, as a shop's site does. */
  async function payOnHostedPage(page: Page, phone: string, amount: string) {
    await page.setContent(`<form method="post" action="${app.url}/lmi/payment"><input name="LMI_PAYEE_PURSE" value="${merchant.purse}">
      <input name="LMI_PAYMENT_AMOUNT" value="${amount}"><input name="LMI_PAYMENT_DESC" value="Two croissants"><button>Pay</button></form>`);
    await page.click('button');
    await page.waitForURL(/\/pay\/pay_/);
    const paymentId = /\/pay\/(pay_[0-9a-z]+)/.exec(page.url())![1]!;
    await page.fill('#phone', `+${phone}`);
    await page.click('form[data-phone-form] button[type=submit]');
    await page.waitForSelector('#code');
    await page.fill('#code', lastCode(app, phone));
    await page.click('form[data-code-form] button[type=submit]');
    await page.waitForSelector('[data-receipt]');
    return paymentId;
  }

  /** The receipt SMS (docs/buyer-guide.md#receipts) is sent by the outbox after the payment commits. */
  async function receiptLinkOf(phone: string): Promise<string> {
    await app.app.notifier.idle();
    const link = gateway.to(phone).map((m) => /(https?:\/\/\S+\/r\/[\w-]+)/.exec(m.text)?.[1]).find(Boolean);
    if (!link) throw new Error(`no receipt SMS to ${phone}`);
    rememberSecret(link.split('/').pop());
    return link;
  }

  async function story(lang: 'en' | 'ar', balanceAfterPayment: string, balanceAfterVoucher: string) {
    const context = await phoneContext(browser, { locale: lang === 'ar' ? 'ar' : 'en-US' });
    const page = await context.newPage();
    const problems = watchConsole(page);
    const buyer = await createBuyer(app, '50.00');

    const paymentId = await payOnHostedPage(page, buyer.phone, '12.08');
    await page.goto(await receiptLinkOf(buyer.phone));
    assert.equal(await page.getAttribute('[data-receipt]', 'data-payment-id'), paymentId);
    assert.equal(await page.getAttribute('[data-receipt]', 'data-amount'), '12.08');
    await screenshot(page, `me-${lang}-1-receipt`);

    await page.goto(`${app.url}/me/login`);
    assert.equal(await page.getAttribute('html', 'lang'), lang);
    assert.equal(await page.getAttribute('html', 'dir'), lang === 'ar' ? 'rtl' : 'ltr');
    await assertAccessible(page, `/me/login (${lang})`);
    await page.fill('#phone', `+${buyer.phone}`);
    await page.click('form[data-phone-form] button[type=submit]');
    await page.waitForSelector('#code');
    await assertAccessible(page, `the code step of /me/login (${lang})`);
    await screenshot(page, `me-${lang}-2-code`);
    await page.fill('#code', lastCode(app, buyer.phone));
    await page.click('form[data-code-form] button[type=submit]');
    await page.waitForURL(`${app.url}/me`);

    const wallet = `section[data-purse="${buyer.purse}"]`;
    assert.equal(await page.getAttribute(wallet, 'data-balance'), balanceAfterPayment);
    assert.equal(await page.getAttribute(wallet, 'data-status'), 'active');
    const row = page.locator('tr[data-type="payment"][data-amount="-12.08"]');
    assert.equal(await row.count(), 1, 'the payment is in the history');
    assert.match((await row.locator('a').getAttribute('href'))!, /^\/r\/[\w-]+$/);
    await assertAccessible(page, `/me (${lang})`);
    const overflow = (await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')) as number;
    assert.ok(overflow <= 0, `/me fits a 390 px screen (${overflow} px too wide)`);
    await screenshot(page, `me-${lang}-3-wallet`);

    const issued = await app.admin('post', '/admin/v1/vouchers').send({ currency: 'USD', amount: '5.00', count: 1 }).expect(201);
    const code = issued.body.vouchers[0].code as string;
    rememberSecret(code);
    await page.fill('#voucher', code);
    await page.click('form[data-action="redeem"] button[type=submit]');
    await page.waitForURL(`${app.url}/me?redeemed=1`);
    assert.equal(await page.getAttribute(wallet, 'data-balance'), balanceAfterVoucher);
    assert.equal(await page.locator('tr[data-type="voucher"][data-amount="5.00"]').count(), 1);
    await assertAccessible(page, `/me after a voucher (${lang})`);
    await screenshot(page, `me-${lang}-4-voucher`);
    assert.deepEqual(problems, []);
    await context.close();
  }

  it('a buyer pays on the hosted page, opens the receipt from the SMS, signs in at /me, sees the payment, redeems a voucher', async () => {
    await story('en', '37.92', '42.92');
  });

  it('the same on a 390 × 844 screen in Arabic, with no serious or critical axe violation', async () => {
    await story('ar', '37.92', '42.92');
  });
});
