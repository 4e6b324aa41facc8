import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startLiveApp, type LiveApp } from '../helpers/live-app.js';
import { launchBrowser, phoneContext, screenshot, watchConsole, assertAccessible } from '../helpers/browser.js';
import { createBuyer, createTestMerchant, type TestMerchant } from '../helpers/merchant.js';
import { officeUser, PASSWORD } from '../helpers/office.js';
import { rememberSecret } from '../helpers/log-capture.js';
import { FakeWhatsapp } from '../helpers/fake-whatsapp.js';

const SECRETS = { token: 'EAAG-e2e-graph-token-0123456789', phoneNumberId: '106540352242922', appSecret: 'e2e-app-secret-0123456789', verifyToken: 'e2e-verify-0123456789' };

/** docs/merchant-guide.md#sharing-a-pay-link-from-your-phone on a 390 px phone in headless Chromium. */
describe('sharing a pay link from the office on a phone (headless Chromium)', function () {
  this.timeout(90_000);
  const fake = new FakeWhatsapp(SECRETS);
  let app: LiveApp;
  let browser: Browser;
  let merchant: TestMerchant;

  before(async () => {
    await fake.start();
    for (const secret of Object.values(SECRETS)) rememberSecret(secret);
    app = await startLiveApp({
      config: {
        messenger: 'whatsapp', whatsappApiUrl: fake.apiUrl, whatsappToken: SECRETS.token, whatsappPhoneNumberId: SECRETS.phoneNumberId,
        whatsappAppSecret: SECRETS.appSecret, whatsappVerifyToken: SECRETS.verifyToken,
      },
    });
    browser = await launchBrowser();
    merchant = await createTestMerchant(app);
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await fake.stop();
  });


  /** Nothing is wider than the screen: no sideways scrolling on a phone. */
  async function fitsTheScreen(page: Page, what: string) {
    const width = (await page.evaluate('document.documentElement.scrollWidth')) as number;
    assert.ok(width <= 390, `${what} is ${width} px wide on a 390 px screen`);
  }

  it('shows the link with WhatsApp and SMS links carrying the encoded message; sends nothing; fits 390 px; axe clean', async () => {
    const owner = await officeUser(app, merchant, 'owner');
    const buyer = await createBuyer(app);
    const context = await phoneContext(browser);
    const page = await context.newPage();
    const problems = watchConsole(page);
    await page.goto(`${app.url}/office/login`);
    await page.fill('#email', owner.email);
    await page.fill('#password', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/office$/);

    await page.goto(`${app.url}/office/links/new`);
    assert.deepEqual(await page.$$eval('input[name=channel]', (inputs) => inputs.map((i) => (i as unknown as { value: string }).value)), ['sms', 'whatsapp', 'share']);
    await assertAccessible(page, 'the pay-link form');
    await fitsTheScreen(page, 'the pay-link form');
    await page.fill('#amount', '7.50');
    await page.fill('#phone', `+${buyer.phone}`);
    await page.check('input[name=channel][value=share]');
    await page.click('form[data-action=link] button[type=submit]');
    await page.waitForSelector('a[data-share="whatsapp"]');

    const url = await page.inputValue('#share_url');
    rememberSecret(url.split('/').pop());
    assert.match(url, new RegExp(`^${app.url}/l/[0-9a-z]+$`));
    const text = `Pay 7.50 USD to Test Shop: ${url}`;
    assert.equal(await page.getAttribute('a[data-share="whatsapp"]', 'href'), `https://wa.me/${buyer.phone}?text=${encodeURIComponent(text)}`);
    assert.equal(await page.getAttribute('a[data-share="sms"]', 'href'), `sms:+${buyer.phone}?&body=${encodeURIComponent(text)}`);
    for (const which of ['whatsapp', 'sms']) {
      const box = (await page.locator(`a[data-share="${which}"]`).boundingBox())!;
      assert.ok(box.height >= 44 && box.width >= 200, `the ${which} link is a large target (${box.width}×${box.height})`);
    }
    await assertAccessible(page, 'the share page');
    await fitsTheScreen(page, 'the share page');
    await screenshot(page, 'office-phone-share-link');
    await app.app.notifier.idle();
    assert.deepEqual(fake.sent, [], 'share sends nothing by WhatsApp');
    assert.equal(app.app.sms.devInbox.inbox(`+${buyer.phone}`).length, 0, 'nor by SMS');
    assert.deepEqual(problems, []);
    await context.close();
  });
});
