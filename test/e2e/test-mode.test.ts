import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startLiveApp, type LiveApp } from '../helpers/live-app.js';
import { launchBrowser, screenshot, watchConsole, assertAccessible } from '../helpers/browser.js';
import { rememberCode, rememberSecret } from '../helpers/log-capture.js';
import { createTestMerchant, api, type TestMerchant } from '../helpers/merchant.js';
import { PASSWORD } from '../helpers/office.js';

/** docs/merchant-guide.md#test-mode in headless Chromium: a new owner integrates end to end without the operator. */
describe('test mode in a real browser (headless Chromium)', function () {
  this.timeout(90_000);
  let app: LiveApp;
  let browser: Browser;
  let merchant: TestMerchant;

  before(async () => {
    app = await startLiveApp();
    browser = await launchBrowser();
    merchant = await createTestMerchant(app);
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });


  it('a new owner makes a test key, pays with a test phone through the API, and finds the payment under ?mode=test only', async () => {
    assert.equal(merchant.mode, 'live');
    const email = `owner-${Math.random().toString(36).slice(2, 8)}@shop.example`;
    const invited = await app.admin('post', `/admin/v1/merchants/${merchant.id}/users`).send({ email, role: 'owner' }).expect(201);
    rememberSecret(new URL(invited.body.setup_url).pathname.split('/').pop());
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    const page = await context.newPage();
    const problems = watchConsole(page);
    await page.goto(invited.body.setup_url);
    await page.fill('#password', PASSWORD);
    await page.fill('#password_again', PASSWORD);
    await page.click('main button[type=submit]');
    await page.waitForURL(/\/office$/);

    const shopId = (await api(app, merchant).get('/shops').expect(200)).body.data[0].id as string;
    await page.goto(`${app.url}/office/shops/${shopId}`);
    await assertAccessible(page, 'the shop page with its test purses');
    const section = page.locator('section[data-test-mode]');
    assert.match((await section.locator('[data-test-purses]').textContent()) ?? '', /^Z\d{12} USD$/);
    await section.locator('#test-key-name').fill('my integration tests');
    assert.equal(await section.locator('input[name=mode][value=test]').isChecked(), true);
    page.once('dialog', (d) => void d.accept());
    await section.locator('button[type=submit]').click();
    const key = (await page.locator('[data-shown-once]').textContent())?.trim() ?? '';
    assert.match(key, /^tp_test_[0-9A-Za-z]{32}$/);
    rememberSecret(key);
    const test = { ...merchant, apiKey: key, mode: 'test' as const };

    const testPurse = (await api(app, test).get('/shops').expect(200)).body.data[0].purse as string;
    const created = (await api(app, test).post('/payments', { payee_purse: testPurse, amount: '7.50', phone: '+1 202 555 0101' }).expect(201)).body;
    const code = (await api(app, test).get('/test/sms?phone=%2B12025550101').expect(200)).body.data[0].code as string;
    rememberCode(code);
    assert.equal((await api(app, test).post(`/payments/${created.id}/confirm`, { code }).expect(200)).body.status, 'succeeded');

    await page.goto(`${app.url}/office/payments`);
    assert.equal(await page.locator(`tr[data-payment-id="${created.id}"]`).count(), 0, 'not among live payments');
    assert.equal(await page.locator('[data-mode="test"]').count(), 0, 'no test banner in live');
    await page.click('a[data-mode-switch="test"]');
    await page.waitForURL(/[?&]mode=test/);
    await page.locator(`tr[data-payment-id="${created.id}"][data-status="succeeded"]`).waitFor();
    const banner = page.locator('[data-mode="test"][role=status]');
    assert.equal(await banner.isVisible(), true);
    await assertAccessible(page, 'the test journal');
    await screenshot(page, 'office-test-mode-journal');
    await page.click('a[data-mode-switch="live"]');
    await page.waitForURL((url) => !url.search.includes('mode=test'));
    assert.equal(await page.locator(`tr[data-payment-id="${created.id}"]`).count(), 0);

    // the test balance is reached through the navigation, and its links and payout form stay in test mode
    await page.click('a[data-mode-switch="test"]');
    await page.click('header nav a[href="/office/balance?mode=test"]');
    await page.waitForURL(/\/office\/balance\?mode=test$/);
    await page.locator(`section[data-purse="${testPurse}"]`).waitFor();
    assert.equal(await page.locator('[data-mode="test"][role=status]').isVisible(), true);
    assert.equal(await page.getAttribute(`section[data-purse="${testPurse}"] form[data-action="payout"]`, 'action'), `/office/balance/${testPurse}/payout?mode=test`);
    const targets = await page.$$eval('a[href^="/office"]:not([data-mode-switch]), form[action^="/office"]:not(.signout)', (els) => els.map((e) => e.getAttribute('href') ?? e.getAttribute('action') ?? ''));
    assert.deepEqual(targets.filter((href) => !/[?&]mode=test(&|$)/.test(href)), [], 'every office link of the test balance keeps test mode');
    await assertAccessible(page, 'the test balance');
    assert.deepEqual(problems, []);
    await context.close();
  });
});
