import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startLiveApp, type LiveApp } from '../helpers/live-app.js';
import { launchBrowser, phoneContext, screenshot, watchConsole, SCREENSHOTS, assertAccessible } from '../helpers/browser.js';
import { api, createBuyer, createTestMerchant, lastCode, type TestMerchant } from '../helpers/merchant.js';

const LOGO = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 176 40" width="176" height="40"><rect width="40" height="40" rx="9" fill="#ff9800"/>'
  + '<path d="M11 29 20 11l9 18z" fill="#fff"/><text x="50" y="27" font-family="sans-serif" font-size="19" font-weight="700" fill="#3a2a12">Orange Mill</text></svg>';
const title = (page: Page) => page.title().then((t) => t.replace(/[\u2066-\u2069]/g, ''));
const directionOf = (page: Page, selector: string) => page.evaluate(`getComputedStyle(document.querySelector(${JSON.stringify(selector)})).direction`);
const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;

/**
 * docs/merchant-guide.md#brand on a 390 px phone, in English and Arabic: the branded hosted page, and what a scanner misses —
 * live countdowns, the resend button kept in the Tab order, one title and h1 per step, 44 px targets, phones left to right.
 * With DOCS_SCREENSHOTS=1 it also writes docs/hosted-page-en.png and docs/hosted-page-ar.png (a plain run leaves the tree clean).
 */
describe('branded, accessible hosted page in Chromium', function () {
  this.timeout(120_000);
  let app: LiveApp;
  let browser: Browser;
  let merchant: TestMerchant;
  let buttonColor: string;

  before(async () => {
    app = await startLiveApp({ config: { codes: { maxCodesPerPhonePerHour: 100 }, operatorName: 'Example Pay', operatorUrl: 'https://operator.example/' } });
    browser = await launchBrowser();
    merchant = await createTestMerchant(app, { name: 'Orange Mill' });
    const shopId = (await app.admin('get', `/admin/v1/merchants/${merchant.id}`)).body.shop_id;
    const res = await api(app, merchant).patch(`/shops/${shopId}`, {
      brand: { logo: `data:image/svg+xml;base64,${Buffer.from(LOGO).toString('base64')}`, color: '#ff9800', support_email: 'help@orange-mill.example', support_phone: '+49 30 1234567', terms_url: 'https://orange-mill.example/terms' },
    }).expect(200);
    buttonColor = res.body.brand.button_color;
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });


  /** The shop's own page posting the Merchant Interface form, as a merchant's site does. */
  async function startPayment(page: Page, lang: string) {
    await page.setContent(`<form method="post" action="${app.url}/lmi/payment"><input name="LMI_PAYEE_PURSE" value="${merchant.purse}">
      <input name="LMI_PAYMENT_AMOUNT" value="24.90"><input name="LMI_PAYMENT_DESC" value="Coffee beans, 1 kg"><input name="LMI_LANG" value="${lang}"><button>Pay</button></form>`);
    await Promise.all([page.waitForURL(/\/pay\/pay_/), page.click('button')]);
  }

  async function assertTargets(page: Page, selectors: string[]) {
    for (const selector of selectors) {
      const boxes = await page.locator(selector).evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => [Math.round(r.width), Math.round(r.height)]));
      assert.ok(boxes.length > 0, `${selector} is on the page`);
      for (const [w, h] of boxes) assert.ok(w! >= 44 && h! >= 44, `${selector} is ${w}×${h}, at least 44×44 wanted`);
    }
  }

  it('in English: brand and operator shown, contrast kept, a title and h1 per step, countdowns spoken at moments, resend kept in the Tab order, 44 px targets', async () => {
    const context = await phoneContext(browser);
    const page = await context.newPage();
    const problems = watchConsole(page);
    await page.clock.install();
    await startPayment(page, 'en-US');
    await page.waitForSelector('#phone-country');
    assert.match(await title(page), /^Pay with your phone – Pay 24\.90 USD to Orange Mill$/);
    assert.equal(await page.textContent('h1'), 'Pay with your phone');
    assert.ok(await page.isVisible('img[data-brand-logo]'));
    assert.equal(await page.evaluate('document.querySelector("img[data-brand-logo]").naturalWidth > 0'), true, 'the logo loads under the page CSP');
    assert.equal(await page.evaluate('getComputedStyle(document.querySelector("form[data-phone-form] button[type=submit]")).backgroundColor'), rgb(buttonColor), 'the shop\'s colour, darkened');
    for (const text of ['help@orange-mill.example', '+49301234567', 'Terms and conditions of Orange Mill', 'Example Pay', 'If you cancel, nothing is charged']) assert.ok(await page.isVisible(`text=${text}`), text);
    await assertTargets(page, ['#phone-country', '.languages a', 'form.cancel button']);
    await assertAccessible(page, 'the branded phone step');
    await screenshot(page, 'brand-en-phone');
    if (process.env.DOCS_SCREENSHOTS === '1') copyFileSync(path.join(SCREENSHOTS, 'brand-en-phone.png'), 'docs/hosted-page-en.png');

    const buyer = await createBuyer(app);
    await page.fill('#phone', `+${buyer.phone}`);
    await page.click('form[data-phone-form] button[type=submit]');
    await page.waitForSelector('#code');
    assert.match(await title(page), /^Confirm with the code – /);
    assert.equal(await page.textContent('h1'), 'Confirm with the code');
    await assertTargets(page, ['button[data-cooldown]', '.secondary a', '.languages a']);
    await assertAccessible(page, 'the branded code step');

    // the resend button waits, yet stays reachable by Tab and refuses a press
    const resend = page.locator('button[data-cooldown]');
    assert.equal(await resend.getAttribute('aria-disabled'), 'true');
    assert.equal(await page.evaluate('document.querySelector("button[data-cooldown]").disabled'), false, 'not disabled: a disabled button leaves the Tab order');
    await page.focus('#code');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate('document.activeElement.hasAttribute("data-cooldown")'), true, 'Tab reaches the waiting resend button');
    const sent = app.app.sms.devInbox.inbox(`+${buyer.phone}`).length;
    await page.keyboard.press('Enter');
    assert.ok(page.url().endsWith(`/pay/${page.url().split('/pay/')[1]}`) && (await page.$('#code')), 'still on the code step');
    assert.equal(app.app.sms.devInbox.inbox(`+${buyer.phone}`).length, sent, 'no new code while waiting');

    // the live region speaks at a few moments, not every second
    await page.evaluate(`(() => {
      const region = document.querySelector('[data-announce]');
      window.spoken = [];
      new MutationObserver(() => { if (region.textContent) window.spoken.push(region.textContent); }).observe(region, { childList: true, characterData: true, subtree: true });
    })()`);
    await page.clock.runFor(31_000);
    assert.equal(await resend.getAttribute('aria-disabled'), null, 'the cooldown is over');
    await page.clock.runFor(30_000);
    const spoken = await page.evaluate('window.spoken');
    assert.deepEqual(spoken, ['You can now ask for a new code.', 'The code is valid for 4:00.'], 'two announcements in 61 s');
    assert.equal(await page.getAttribute('[data-announce]', 'aria-live'), 'polite');

    await page.fill('#code', lastCode(app, buyer.phone) === '0000' ? '1111' : '0000');
    await page.click('form[data-code-form] button[type=submit]');
    await page.waitForSelector('#code-error');
    assert.match(await title(page), /^Wrong code – Confirm with the code – /, 'the error shows in the title');
    await assertAccessible(page, 'the wrong-code step');
    assert.deepEqual(problems, [], 'no CSP refusal or script error');
    await context.close();
  });

  it('in Arabic: right to left, phones isolated left to right on the page and the receipt, axe clean', async () => {
    const context = await phoneContext(browser, { locale: 'ar' });
    const page = await context.newPage();
    const problems = watchConsole(page);
    await startPayment(page, 'ar-AE');
    await page.waitForSelector('#phone-country');
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    assert.match(await title(page), /^الدفع بهاتفك – /);
    const phoneDir = await directionOf(page, 'a[data-support-phone]');
    assert.equal(phoneDir, 'ltr', 'the support phone reads +49… left to right');
    assert.match((await page.textContent('#phone-hint'))!, /\u2066\+971 50 123 4567\u2069/, 'the example phone of the hint is isolated too');
    await assertTargets(page, ['#phone-country', '.languages a']);
    await assertAccessible(page, 'the Arabic phone step');
    await screenshot(page, 'brand-ar-phone');
    if (process.env.DOCS_SCREENSHOTS === '1') copyFileSync(path.join(SCREENSHOTS, 'brand-ar-phone.png'), 'docs/hosted-page-ar.png');

    const buyer = await createBuyer(app);
    await page.fill('#phone', `+${buyer.phone}`);
    await page.click('form[data-phone-form] button[type=submit]');
    await page.waitForSelector('#code');
    assert.equal(await directionOf(page, '#code-hint bdi'), 'ltr', 'the masked phone in the hint');
    await assertAccessible(page, 'the Arabic code step');
    await page.fill('#code', lastCode(app, buyer.phone));
    await page.click('form[data-code-form] button[type=submit]');
    await page.waitForSelector('[data-receipt]');
    await page.click('a[data-receipt-link]');
    await page.waitForURL(/\/r\//);
    assert.equal(await directionOf(page, '[data-field="phone"] dd bdi'), 'ltr', 'the receipt\'s masked phone');
    assert.equal(await directionOf(page, 'a[data-support-phone]'), 'ltr');
    assert.ok(await page.isVisible('img[data-brand-logo]'));
    await assertAccessible(page, 'the Arabic receipt');
    assert.deepEqual(problems, [], 'no CSP refusal or script error');
    await context.close();
  });

  it('/docs/api: the code sample that scrolls is a labelled tab stop; axe finds nothing serious', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${app.url}/docs/api`);
    await page.locator('h2', { hasText: 'Create a payment' }).first().waitFor({ timeout: 30_000 });
    await page.waitForSelector('pre[tabindex="0"][aria-label]');
    await assertAccessible(page, '/docs/api');
    await context.close();
  });
});
