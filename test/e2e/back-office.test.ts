import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startLiveApp, type LiveApp } from '../helpers/live-app.js';
import { launchBrowser, phoneContext, screenshot, watchConsole, assertAccessible, signInAt } from '../helpers/browser.js';
import { rememberSecret } from '../helpers/log-capture.js';
import { createTestMerchant, createBuyer, lastCode, api, type TestMerchant } from '../helpers/merchant.js';
import { payNow } from '../helpers/payments.js';
import { PASSWORD } from '../helpers/office.js';
import { Receiver } from '../helpers/receiver.js';
import { totpCode } from '../../lib/domain/totp.js';

/** docs/merchant-guide.md#back-office in headless Chromium: set-up with TOTP, the live journal, actions, pay links, roles; every page passes axe-core. */
describe('back office in a real browser (headless Chromium)', function () {
  this.timeout(90_000);
  let app: LiveApp;
  let browser: Browser;
  let merchant: TestMerchant;
  let totpSecret = '';
  let ownerEmail = '';

  before(async () => {
    app = await startLiveApp({ config: { codes: { maxCodesPerPhonePerHour: 100 } } });
    browser = await launchBrowser();
    merchant = await createTestMerchant(app, { capture: 'automatic' });
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  const desktop = (locale = 'en-US', javaScriptEnabled = true) => browser.newContext({ viewport: { width: 1280, height: 900 }, locale, javaScriptEnabled });


  const signIn = (context: BrowserContext, email: string, secret?: string) => signInAt(app, context, { area: 'office', email, password: PASSWORD, totpSecret: secret });

  /** A new user's first visit: the one-time link, a password (no authenticator), signed in. */
  async function setUp(context: BrowserContext, setupUrl: string): Promise<Page> {
    const page = await context.newPage();
    await page.goto(setupUrl);
    await page.fill('#password', PASSWORD);
    await page.fill('#password_again', PASSWORD);
    await page.click('main button[type=submit]');
    await page.waitForURL(/\/office$/);
    return page;
  }

  async function invite(role: 'owner' | 'staff' | 'viewer', m = merchant) {
    const email = `${role}-${Math.random().toString(36).slice(2, 8)}@shop.example`;
    const created = await app.admin('post', `/admin/v1/merchants/${m.id}/users`).send({ email, role }).expect(201);
    rememberSecret(new URL(created.body.setup_url).pathname.split('/').pop());
    return { email, setupUrl: created.body.setup_url as string };
  }

  it('an owner sets up a password and an authenticator from the one-time link, signs out and in again with the code', async () => {
    const { email, setupUrl } = await invite('owner');
    ownerEmail = email;
    const context = await phoneContext(browser);
    const page = await context.newPage();
    const problems = watchConsole(page);
    await page.goto(setupUrl);
    await assertAccessible(page, 'the set-up page');
    await screenshot(page, 'office-phone-setup');
    totpSecret = (await page.getAttribute('input[name=totp_secret]', 'value'))!;
    assert.ok(await page.isVisible('img.qr'));
    await page.fill('#password', 'too short');
    await page.fill('#password_again', 'too short');
    // the browser would stop a short password itself: the server's answer is what is tested here
    await page.evaluate(`document.querySelectorAll('input[minlength]').forEach((i) => i.removeAttribute('minlength'))`);
    await page.click('main button[type=submit]');
    await page.waitForSelector('#password-problem');
    assert.match((await page.textContent('#password-problem'))!, /at least 12 characters/);
    await assertAccessible(page, 'the set-up page with an error');
    totpSecret = (await page.getAttribute('input[name=totp_secret]', 'value'))!;
    await page.fill('#password', PASSWORD);
    await page.fill('#password_again', PASSWORD);
    await page.fill('#totp', await totpCode(totpSecret, app.clock.now()));
    await page.click('main button[type=submit]');
    await page.waitForURL(/\/office$/);
    assert.ok(await page.isVisible('h1:text("Overview")'), 'the office opens on the overview');
    await page.click('button:text("Sign out")');
    await page.waitForURL(/\/office\/login/);
    await assertAccessible(page, 'the sign-in page');
    await screenshot(page, 'office-phone-login');
    await page.close();
    const again = await signIn(context, email, totpSecret);
    assert.ok(await again.isVisible('h1:text("Overview")'));
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('five wrong passwords lock the e-mail: the sign-in page says until when, and the right password waits too', async () => {
    const { email, setupUrl } = await invite('staff');
    const context = await phoneContext(browser);
    await (await setUp(context, setupUrl)).close();
    const page = await context.newPage();
    for (let i = 0; i < 5; i++) {
      await page.goto(`${app.url}/office/login`);
      await page.fill('#email', email);
      await page.fill('#password', 'not the password at all');
      await page.click('main button[type=submit]');
      await page.waitForSelector('p[role=alert]');
    }
    assert.match((await page.textContent('p[role=alert]'))!, /locked until \d\d:\d\d UTC/);
    await page.fill('#password', PASSWORD);
    await page.click('main button[type=submit]');
    await page.waitForSelector('p[role=alert]');
    assert.match((await page.textContent('p[role=alert]'))!, /locked until/, 'the right password waits for the lock too');
    await assertAccessible(page, 'the locked sign-in page');
    await screenshot(page, 'office-phone-login-locked');
    await context.close();
  });

  it('the journal shows a payment made through the API while it is open, without a reload, and its change of status; it reconnects after its stream ends', async () => {
    const context = await desktop();
    const page = await signIn(context, ownerEmail, totpSecret);
    await page.goto(`${app.url}/office/payments`);
    const problems = watchConsole(page);
    await page.waitForTimeout(300); // the event stream connects
    const buyer = await createBuyer(app, '50.00');
    const client = api(app, merchant);
    const created = (await client.post('/payments', { payee_purse: merchant.purse, amount: '7.77', phone: buyer.phone, payment_no: 4242 }).expect(201)).body;
    await page.waitForSelector(`tr[data-payment-id="${created.id}"]`, { timeout: 2000 });
    await client.post(`/payments/${created.id}/confirm`, { code: lastCode(app, buyer.phone) }).expect(200);
    await page.waitForSelector(`tr[data-payment-id="${created.id}"][data-status="succeeded"]`, { timeout: 2000 });
    assert.equal(await page.locator(`tr[data-payment-id="${created.id}"]`).count(), 1, 'the row changed in place');
    await assertAccessible(page, 'the journal');
    await screenshot(page, 'office-desktop-journal');

    // the service restarts its streams (as a restart would): the page reconnects by itself and catches up on what it missed
    await app.app.officeLive.stop();
    const missed = (await client.post('/payments', { payee_purse: merchant.purse, amount: '8.88' }).expect(201)).body;
    await page.waitForSelector(`tr[data-payment-id="${missed.id}"]`, { timeout: 6000 });
    const later = (await client.post('/payments', { payee_purse: merchant.purse, amount: '9.99' }).expect(201)).body;
    await page.waitForSelector(`tr[data-payment-id="${later.id}"]`, { timeout: 2000 });
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('the overview\'s figures follow a new payment without a reload; its chart has a text alternative and passes axe', async () => {
    const context = await desktop();
    const page = await signIn(context, ownerEmail, totpSecret);
    const sales = page.locator('[data-metric="sales_today"][data-currency="USD"]');
    const before = Number(await sales.getAttribute('data-value') ?? '0');
    await page.waitForTimeout(300); // the event stream connects
    await payNow(app, merchant, '4.44');
    // a function, not a string: the page's CSP forbids evaluating strings
    const shown = (b: number) => Number((globalThis as unknown as { document: { querySelector(s: string): { dataset: { value: string } } } }).document
      .querySelector('[data-metric="sales_today"][data-currency="USD"]').dataset.value) > b;
    await page.waitForFunction(shown, before, { timeout: 4000 });
    assert.equal(Math.round(Number(await sales.getAttribute('data-value')) * 100), Math.round((before + 4.44) * 100));
    assert.ok(await page.locator('figure.chart svg[role="img"][aria-labelledby]').count() >= 1);
    await assertAccessible(page, 'the overview');
    await screenshot(page, 'office-desktop-overview');
    await context.close();
  });

  it('what a scanner misses: a skip link first, new journal rows announced, phones left-to-right in Arabic, local times with UTC on hover, status and amount visible on a phone', async () => {
    const context = await phoneContext(browser);
    const page = await signIn(context, ownerEmail, totpSecret);
    await page.goto(`${app.url}/office/payments?lang=ar`);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(`document.activeElement?.getAttribute('href')`), '#main', 'the first Tab stop skips the navigation');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate('document.activeElement?.id'), 'main');

    await page.waitForTimeout(300); // the event stream connects
    const buyer = await createBuyer(app, '50.00');
    const created = (await api(app, merchant).post('/payments', { payee_purse: merchant.purse, amount: '6.06', phone: buyer.phone }).expect(201)).body;
    const row = page.locator(`tr[data-payment-id="${created.id}"]`);
    await row.waitFor({ timeout: 2000 });
    assert.equal(await page.getAttribute('#live-announce', 'aria-live'), 'polite');
    assert.match(await page.textContent('#live-announce') ?? '', /6\.06/, 'the new row is announced with its amount');

    const phone = row.locator('bdi[dir="ltr"]');
    assert.equal(await page.evaluate(`getComputedStyle(document.querySelector('tr[data-payment-id="${created.id}"] bdi')).direction`), 'ltr');
    assert.match(await phone.textContent() ?? '', /^\+\d+$/, 'the phone reads + first, in an Arabic page');
    const time = row.locator('time[datetime]');
    assert.match(await time.getAttribute('title') ?? '', /^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/, 'UTC on hover');
    assert.equal(await time.getAttribute('data-local'), '1', 'shown in the browser\'s local time');

    // 390 px: the status and the amount of every row are on the screen, not cut off behind a scroll
    for (const cell of [row.locator('td').nth(2), row.locator('td').nth(3)]) {
      const box = (await cell.boundingBox())!;
      assert.ok(box.width > 0 && box.x >= 0 && box.x + box.width <= 390, `a cell at ${box.x}+${box.width} stays inside 390 px`);
    }
    await assertAccessible(page, 'the journal on a phone in Arabic');
    await context.close();
  });

  it('refunds 1.00 from the payment page after confirming (JavaScript dialog, and a page of its own without JavaScript)', async () => {
    const { payment: paid } = await payNow(app, merchant, '10.00');
    const context = await desktop();
    const page = await signIn(context, ownerEmail, totpSecret);
    await page.goto(`${app.url}/office/payments/${paid.id}`);
    await assertAccessible(page, 'the payment page');
    await screenshot(page, 'office-desktop-payment');
    page.once('dialog', (dialog) => {
      assert.match(dialog.message(), /Refund 1\.00/);
      void dialog.accept();
    });
    await page.fill('form[data-action="refund"] input[name=amount]', '1.00');
    await page.click('form[data-action="refund"] button[type=submit]');
    await page.waitForSelector('.flash');
    assert.match((await page.textContent('.flash'))!, /Refunded 1\.00 USD/);
    await page.fill('form[data-action="refund"] input[name=amount]', '0.50');
    await page.evaluate(`document.querySelector('form[data-action="refund"]').removeAttribute('data-confirm')`);
    await page.click('form[data-action="refund"] button[type=submit]');
    await page.waitForSelector('text=Please confirm');
    await assertAccessible(page, 'the confirmation page');
    await page.click('a:text("No, go back")');
    assert.equal((await api(app, merchant).get(`/payments/${paid.id}`)).body.amount_refunded, '1.00');
    await context.close();

    const noJs = await desktop('en-US', false);
    const plain = await signIn(noJs, ownerEmail, totpSecret);
    await plain.goto(`${app.url}/office/payments/${paid.id}`);
    await plain.fill('form[data-action="refund"] input[name=amount]', '2.00');
    await plain.click('form[data-action="refund"] button[type=submit]');
    await plain.waitForSelector('text=Please confirm');
    assert.match((await plain.textContent('.question'))!, /Refund 2\.00 USD of payment pay_/, 'the question names the currency');
    // axe runs as a script: with JavaScript off it cannot, so the confirmation page is checked with it on below
    await screenshot(plain, 'office-desktop-confirm');
    assert.equal((await api(app, merchant).get(`/payments/${paid.id}`)).body.amount_refunded, '1.00', 'nothing moves before the confirmation');
    await plain.click('form[data-confirmed] button[type=submit]');
    await plain.waitForSelector('.flash');
    assert.equal((await api(app, merchant).get(`/payments/${paid.id}`)).body.amount_refunded, '3.00');
    await noJs.close();
  });

  it('an owner runs the shop alone: sets the Result URL, and the next live payment\'s Result goes there; pays out now; finds a payment by the phone\'s last 4 digits', async () => {
    const receiver = new Receiver();
    await receiver.start();
    receiver.reply = () => ({ status: 200, body: 'YES' });
    try {
      const alone = await createTestMerchant(app, { name: 'Alone Shop' });
      await app.admin('patch', `/admin/v1/merchants/${alone.id}`).send({ payout_delay_days: 0 }).expect(200);
      const shopId = (await app.admin('get', `/admin/v1/merchants/${alone.id}`)).body.shop_id as string;
      const { setupUrl } = await invite('owner', alone);
      const context = await phoneContext(browser);
      const page = await setUp(context, setupUrl);
      await page.goto(`${app.url}/office/shops/${shopId}`);
      await page.fill('#set-result_url', receiver.url('/alone-result'));
      await page.click('form[data-action="shop-urls"] button[type=submit]');
      await page.waitForURL(/\?saved=1$/);
      await assertAccessible(page, 'the shop settings on a phone');
      const { payment, buyer } = await payNow(app, alone, '9.10');
      const [result] = await receiver.waitFor(1);
      assert.equal(result!.path, '/alone-result');
      assert.equal(new URLSearchParams(result!.body).get('LMI_SYS_INVS_NO'), String(payment.invoice_no));

      await page.goto(`${app.url}/office/balance`);
      page.once('dialog', (d) => void d.accept());
      await page.click(`form[data-action="payout"] button[type=submit]`);
      await page.waitForURL(/\/office\/payouts\/po_/);
      assert.match((await page.textContent('main'))!, /9\.10/);
      assert.equal((await api(app, alone).get('/payouts').expect(200)).body.data.length, 1);

      await page.goto(`${app.url}/office/payments`);
      await page.fill('#q', buyer.phone.slice(-4));
      await page.click('form.filters button[type=submit]');
      await page.waitForSelector(`tr[data-payment-id="${payment.id}"]`);
      assert.equal(await page.locator('tr[data-payment-id]').count(), 1);
      await context.close();
    } finally {
      await receiver.stop();
    }
  });

  it('captures part of an authorized payment', async () => {
    const manual = await createTestMerchant(app, { capture: 'manual' });
    const owner = await invite('owner', manual);
    const context = await desktop();
    const page = await setUp(context, owner.setupUrl);
    const { payment: authorized } = await payNow(app, manual, '10.00');
    await page.goto(`${app.url}/office/payments/${authorized.id}`);
    page.once('dialog', (d) => void d.accept());
    await page.fill('form[data-action="capture"] input[name=amount]', '6.50');
    await page.click('form[data-action="capture"] button[type=submit]');
    await page.waitForSelector('.flash');
    const shown = (await api(app, manual).get(`/payments/${authorized.id}`)).body;
    assert.equal(shown.status, 'succeeded');
    assert.match(JSON.stringify(shown), /"6\.50"/);
    await context.close();
  });

  it('sends a pay link to a phone from the office, and the buyer gets the SMS', async () => {
    const context = await phoneContext(browser);
    const page = await signIn(context, ownerEmail, totpSecret);
    await page.goto(`${app.url}/office/links/new`);
    await assertAccessible(page, 'the pay link page');
    await screenshot(page, 'office-phone-link');
    const buyer = await createBuyer(app, '20.00');
    await page.fill('#amount', '4.20');
    await page.fill('#description', 'Invoice 12');
    await page.fill('#phone', `+${buyer.phone}`);
    await page.click('form[data-action="link"] button[type=submit]');
    await page.waitForSelector('.flash');
    const sms = app.app.sms.devInbox.inbox(`+${buyer.phone}`)[0]!;
    assert.match(sms.text, /4\.20 USD/);
    assert.match(sms.text, new RegExp(`${app.url.replace(/[.]/g, '\\.')}/l/`));
    await context.close();
  });

  it('a viewer sees no action; every page passes axe-core at phone and desktop size and in the five languages', async () => {
    const viewer = await invite('viewer');
    const context = await phoneContext(browser);
    const page = await setUp(context, viewer.setupUrl);
    const { payment: paid } = await payNow(app, merchant, '3.00');
    await page.goto(`${app.url}/office/payments/${paid.id}`);
    assert.equal(await page.locator('form[data-action]').count(), 0, 'no action form for a viewer');
    assert.equal(await page.locator('a[href="/office/links/new"]').count(), 0);
    const refused = await page.request.post(`${app.url}/office/payments/${paid.id}/refund`, { form: { confirmed: '1' } });
    assert.equal(refused.status(), 403);
    await context.close();

    const payout = await app.admin('patch', `/admin/v1/merchants/${merchant.id}`).send({ payout_delay_days: 0 }).expect(200);
    assert.equal(payout.body.payout_delay_days, 0);
    await payNow(app, merchant, '5.00');
    const po = (await api(app, merchant).post('/payouts', { purse: merchant.purse }).expect(201)).body;
    const shopId = (await app.admin('get', `/admin/v1/merchants/${merchant.id}`)).body.shop_id;
    const pages = ['/office', `/office/payments/${paid.id}`, '/office/links/new', '/office/balance', `/office/payouts/${po.id}`, '/office/shops', `/office/shops/${shopId}`, '/office/users', '/office/audit'];
    for (const [size, make] of [['phone', () => phoneContext(browser)], ['desktop', () => desktop()]] as const) {
      const ctx = await make();
      const owner = await signIn(ctx, ownerEmail, totpSecret);
      for (const path of pages) {
        await owner.goto(`${app.url}${path}`);
        await assertAccessible(owner, `${path} (${size})`);
        await screenshot(owner, `office-${size}${path.replace(/\/(pay|po|shp)_[0-9a-z]+/, '/$1').replace(/\//g, '-')}`);
      }
      await ctx.close();
    }
    const audit = await desktop();
    const owner = await signIn(audit, ownerEmail, totpSecret);
    await owner.goto(`${app.url}/office/audit`);
    for (const action of ['user.setup', 'sign_in', 'sign_out', 'payment.refund', 'payment.link_sent']) {
      assert.ok(await owner.locator(`tr[data-audit-action="${action}"]`).count() > 0, action);
    }
    for (const lang of ['en', 'ru', 'de', 'vi', 'ar']) {
      await owner.goto(`${app.url}/office/payments?lang=${lang}`);
      assert.equal(await owner.getAttribute('html', 'lang'), lang);
      assert.equal(await owner.getAttribute('html', 'dir'), lang === 'ar' ? 'rtl' : 'ltr');
      await assertAccessible(owner, `the journal in ${lang}`);
      await screenshot(owner, `office-desktop-journal-${lang}`);
    }
    await audit.close();
  });
});
