import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startLiveApp, type LiveApp } from '../helpers/live-app.js';
import { launchBrowser, phoneContext, screenshot, watchConsole, assertAccessible } from '../helpers/browser.js';
import { rememberCode } from '../helpers/log-capture.js';
import { createTestMerchant, createBuyer } from '../helpers/merchant.js';
import { seedDemo, DEMO_PHONE } from '../../lib/use-cases/operators/seed-demo.js';

describe('hosted pages in a real browser (headless Chromium, phone-sized)', function () {
  this.timeout(120_000);
  let app: LiveApp;
  let browser: Browser;

  before(async () => {
    app = await startLiveApp({ config: { codes: { maxCodesPerPhonePerHour: 100 } }, demo: true });
    await seedDemo(app.app.deps);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  function codeFromInbox(phone: string): string {
    const text = app.app.sms.devInbox.inbox(`+${phone}`)[0]?.text ?? '';
    const code = /#(\d+)$/.exec(text)?.[1];
    if (!code) throw new Error(`no code for ${phone}`);
    rememberCode(code);
    return code;
  }


  async function startFromDemo(page: Page, amount = '12.08', audit = true) {
    await page.goto(`${app.url}/demo`);
    if (audit) await assertAccessible(page, 'the demo shop');
    await page.fill('#amount', amount);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/pay\/pay_/);
  }

  it('a buyer pays from the demo shop in English: wrong code, then the right one, back to the shop with the Result verified', async () => {
    const context = await phoneContext(browser);
    const page = await context.newPage();
    const problems = watchConsole(page);
    await startFromDemo(page);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.ok(await page.isVisible('text=Demo Shop'));
    assert.ok(await page.isVisible('text=12.08 USD'));
    await assertAccessible(page, 'the phone step');
    await screenshot(page, 'en-1-phone');

    await page.fill('#phone', '+1 202 555-0101');
    await page.click('form[data-phone-form] button[type=submit]');
    await page.waitForSelector('#code');
    await assertAccessible(page, 'the code step');
    assert.match((await page.textContent('#code-expiry'))!, /valid for [45]:\d\d/);
    assert.equal(await page.getAttribute('button[data-cooldown]', 'aria-disabled'), 'true', 'resend waits for its cooldown (and stays in the Tab order)');
    await screenshot(page, 'en-2-code');

    const code = codeFromInbox(DEMO_PHONE);
    await page.fill('#code', code === '0000' ? '1111' : '0000');
    await page.click('form[data-code-form] button[type=submit]');
    await page.waitForSelector('#code-error');
    assert.match((await page.textContent('#code-error'))!, /The code is not right\. 2 tries left\./);
    assert.equal(await page.getAttribute('#code', 'aria-invalid'), 'true');
    await assertAccessible(page, 'the code step with an error');
    await screenshot(page, 'en-3-wrong-code');

    await page.fill('#code', code);
    await page.click('form[data-code-form] button[type=submit]');
    await page.waitForURL(`${app.url}/demo/success`);
    assert.ok(await page.isVisible('text=Thank you for your order'));
    assert.ok(await page.isVisible('text=LMI_TELEPAT_ORDERID'));
    await assertAccessible(page, 'the success page');
    await screenshot(page, 'en-4-success');

    await app.app.notifier.idle();
    await page.goto(`${app.url}/demo`);
    assert.ok(await page.isVisible('text=LMI_HASH and LMI_HASH2 verified'), 'the demo shop shows the Result it received, verified');
    await screenshot(page, 'en-5-demo-result');
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('in Arabic, right to left, chosen by the browser language; the SMS is in Arabic too', async () => {
    const context = await phoneContext(browser, { locale: 'ar' });
    const page = await context.newPage();
    const problems = watchConsole(page);
    await startFromDemo(page, '7.50');
    assert.equal(await page.getAttribute('html', 'lang'), 'ar');
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    assert.equal((await page.textContent('label[for=phone]'))!.trim(), 'رقم هاتفك');
    await assertAccessible(page, 'the Arabic phone step');
    await screenshot(page, 'ar-1-phone');
    await page.fill('#phone', '+1 202 555-0101');
    await page.click('form[data-phone-form] button[type=submit]');
    await page.waitForSelector('#code');
    const sms = app.app.sms.devInbox.inbox(`+${DEMO_PHONE}`)[0]!.text;
    assert.match(sms, /هو رمزك لدفع 7\.50 USD إلى Demo Shop/);
    assert.match(sms, new RegExp(`@127\\.0\\.0\\.1 #\\d{4}$`), "the WebOTP line names the host without a port");
    await assertAccessible(page, 'the Arabic code step');
    await screenshot(page, 'ar-2-code');
    await page.fill('#code', codeFromInbox(DEMO_PHONE));
    await page.click('form[data-code-form] button[type=submit]');
    await page.waitForURL(`${app.url}/demo/success`);
    await screenshot(page, 'ar-3-success');
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('the language switcher changes the language and keeps it', async () => {
    const context = await phoneContext(browser);
    const page = await context.newPage();
    await startFromDemo(page);
    await page.click('nav.languages a[lang=de]');
    assert.equal(await page.getAttribute('html', 'lang'), 'de');
    assert.equal((await page.textContent('label[for=phone]'))!.trim(), 'Ihre Telefonnummer');
    await page.goto(page.url().split('?')[0]!);
    assert.equal(await page.getAttribute('html', 'lang'), 'de', 'the choice is remembered');
    for (const [lang, label] of [['ru', 'Ваш номер телефона'], ['vi', 'Số điện thoại của bạn']]) {
      await page.click(`nav.languages a[lang=${lang}]`);
      assert.equal((await page.textContent('label[for=phone]'))!.trim(), label);
      await assertAccessible(page, `the ${lang} phone step`);
      await screenshot(page, `${lang}-phone`);
    }
    await context.close();
  });

  it('the Fail path: cancelling sends the buyer to the Fail URL', async () => {
    const context = await phoneContext(browser);
    const page = await context.newPage();
    await startFromDemo(page);
    await page.click('form.cancel button');
    await page.waitForURL(/\/demo\/fail\?/);
    assert.ok(await page.isVisible('text=The payment did not go through'));
    assert.match(page.url(), /LMI_SYS_TRANS_NO=&/);
    await assertAccessible(page, 'the fail page');
    await screenshot(page, 'fail');
    await context.close();
  });

  it('works without JavaScript: the POST back to the shop is a visible button', async () => {
    // (axe itself needs JavaScript: the same pages are checked with it in the other tests)
    const context = await phoneContext(browser, { javaScriptEnabled: false });
    const page = await context.newPage();
    await startFromDemo(page, '1.00', false);
    await page.fill('#phone', '12025550101');
    await page.click('form[data-phone-form] button[type=submit]');
    await page.waitForSelector('#code');
    await page.fill('#code', codeFromInbox(DEMO_PHONE));
    await page.click('form[data-code-form] button[type=submit]');
    await page.waitForSelector('form[data-autosubmit] button');
    await screenshot(page, 'nojs-continue');
    await page.click('form[data-autosubmit] button');
    await page.waitForURL(`${app.url}/demo/success`);
    await context.close();
  });

  it('the page that posts the buyer back to the shop is accessible too', async () => {
    const context = await phoneContext(browser);
    await context.route('**/assets/autosubmit.js', (route) => route.fulfill({ contentType: 'text/javascript', body: '' }));
    const page = await context.newPage();
    await startFromDemo(page, '1.10');
    await page.fill('#phone', '+12025550101');
    await page.click('form[data-phone-form] button[type=submit]');
    await page.waitForSelector('#code');
    await page.fill('#code', codeFromInbox(DEMO_PHONE));
    await page.click('form[data-code-form] button[type=submit]');
    await page.waitForSelector('form[data-autosubmit] button');
    await assertAccessible(page, 'the continue page');
    await context.close();
  });

  it('formats the phone as it is typed and picks the country', async () => {
    const context = await phoneContext(browser);
    const page = await context.newPage();
    await startFromDemo(page);
    await page.locator('#phone').pressSequentially('79031234567');
    assert.equal(await page.inputValue('#phone'), '+7 903 123 45 67');
    assert.equal(await page.inputValue('#phone-country'), 'RU');
    await page.selectOption('#phone-country', 'DE');
    assert.match(await page.inputValue('#phone'), /^\+49/);
    await assertAccessible(page, 'the phone step with the country selector');
    await screenshot(page, 'en-phone-formatting');
    await context.close();
  });

  it('sends security headers: a CSP without inline script, no framing, no referrer', async () => {
    const context = await phoneContext(browser);
    const page = await context.newPage();
    const response = await page.goto(`${app.url}/demo`);
    const headers = response!.headers();
    assert.match(headers['content-security-policy']!, /script-src 'self'/);
    assert.doesNotMatch(headers['content-security-policy']!, /unsafe-inline/);
    assert.match(headers['content-security-policy']!, /frame-ancestors 'none'/);
    assert.equal(headers['referrer-policy'], 'no-referrer');
    assert.equal(headers['x-content-type-options'], 'nosniff');
    const inline = await page.evaluate(`(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.head.append(s);
      return window.__inlineRan === true;
    })()`);
    assert.equal(inline, false, 'an injected inline script does not run');
    await context.close();
  });

  it('pay link: the SMS carries a short link; opening it shows the code step for that phone', async () => {
    const merchant = await createTestMerchant(app, { success_url: `${app.url}/demo/success`, allowed_hosts: ['127.0.0.1'] });
    const buyer = await createBuyer(app, '20.00');
    const res = await app.http.post('/api/v1/payments').set('Authorization', `Bearer ${merchant.apiKey}`)
      .send({ payee_purse: merchant.purse, amount: '4.20', phone: `+${buyer.phone}`, send: 'link' }).expect(201);
    const sms = app.app.sms.devInbox.inbox(`+${buyer.phone}`)[0]!.text;
    const link = /(http:\/\/\S+\/l\/[0-9a-z]{10})$/.exec(sms)?.[1];
    assert.ok(link, sms);
    assert.equal(sms, `Pay 4.20 USD to Test Shop: ${link}`);
    assert.equal(res.body.link_url, link);

    const context = await phoneContext(browser);
    const page = await context.newPage();
    await page.goto(link!);
    await page.waitForSelector('#code');
    assert.match((await page.textContent('#code-hint'))!, new RegExp(`\\+${buyer.phone.slice(0, 4)}\\*+${buyer.phone.slice(-2)}`));
    await assertAccessible(page, 'the pay link code step');
    await screenshot(page, 'paylink-code');
    await page.goto(link!); // opening it again sends no second code
    assert.equal(app.app.sms.devInbox.inbox(`+${buyer.phone}`).length, 2);
    await page.fill('#code', codeFromInbox(buyer.phone));
    await page.click('form[data-code-form] button[type=submit]');
    await page.waitForURL(/\/demo\/success/);
    await page.goto(link!);
    assert.ok(await page.isVisible('text=This payment link has expired'), 'the link ends with the payment');
    await assertAccessible(page, 'the expired link page');
    await context.close();
  });

  it('other pages pass the accessibility check too: docs, dev inbox, errors, own result page', async () => {
    const context = await phoneContext(browser);
    const page = await context.newPage();
    for (const path of ['/docs', '/dev/sms', '/pay/pay_000000000000000000000000', '/l/0000000000']) {
      await page.goto(`${app.url}${path}`);
      await assertAccessible(page, path);
    }
    await context.close();
  });

  it('after a wrong code the language switcher leads to a page (Russian plural forms); a second browser sees only that the order is taken', async () => {
    const context = await phoneContext(browser);
    const page = await context.newPage();
    const problems = watchConsole(page);
    await startFromDemo(page, '3.10', false);
    const paymentUrl = page.url();
    await page.fill('#phone', '+1 202 555-0101');
    await page.click('form[data-phone-form] button[type=submit]');
    await page.waitForSelector('#code');
    const code = codeFromInbox(DEMO_PHONE);
    const wrong = code === '0000' ? '1111' : '0000';
    await page.fill('#code', wrong);
    await page.click('form[data-code-form] button[type=submit]');
    await page.waitForSelector('#code-error');
    assert.match((await page.textContent('#code-error'))!, /2 tries left\./);
    await page.click('nav.languages a[lang=ru]');
    await page.waitForLoadState();
    assert.equal(new URL(page.url()).pathname, new URL(paymentUrl).pathname, 'the switcher leads to the page, not to the POST action');
    assert.equal(await page.getAttribute('html', 'lang'), 'ru');
    assert.ok(await page.isVisible('#code'), 'the code step, not a 405');
    await page.fill('#code', wrong);
    await page.click('form[data-code-form] button[type=submit]');
    await page.waitForSelector('#code-error');
    assert.match((await page.textContent('#code-error'))!, /Осталась 1 попытка\./);
    await assertAccessible(page, 'the Russian code step with an error');
    await screenshot(page, 'ru-one-try-left');

    const stranger = await phoneContext(browser);
    const other = await stranger.newPage();
    await other.goto(paymentUrl);
    assert.ok(await other.isVisible('text=This order is being paid'));
    assert.equal(await other.locator('form').count(), 0, 'no forms for a stranger');
    assert.ok(!(await other.content()).includes('123-45-67') && !(await other.content()).includes('9031234567'), 'no phone');
    await assertAccessible(other, 'the "being paid" page');
    await screenshot(other, 'en-busy');
    await page.fill('#code', code);
    await page.click('form[data-code-form] button[type=submit]');
    await page.waitForURL(`${app.url}/demo/success`);
    assert.deepEqual(problems, []);
    await stranger.close();
    await context.close();
  });
});

