import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Browser, BrowserContext } from 'playwright-core';
import { startLiveApp, type LiveApp } from '../helpers/live-app.js';
import { launchBrowser, screenshot, watchConsole, assertAccessible, signInAt } from '../helpers/browser.js';
import { rememberSecret } from '../helpers/log-capture.js';
import { createTestMerchant, type TestMerchant } from '../helpers/merchant.js';
import { assertLedgerClean, payNow } from '../helpers/payments.js';
import { officeUser, PASSWORD } from '../helpers/office.js';
import { consoleUser } from '../helpers/console.js';
import { totpCode } from '../../lib/domain/totp.js';

const run = promisify(execFile);

/** docs/operator-guide.md#operator-console in headless Chromium on a 768 px tablet: set-up from the CLI link, search, refund, roles, audit, axe. */
describe('operator console in a real browser (headless Chromium)', function () {
  this.timeout(120_000);
  let app: LiveApp;
  let browser: Browser;
  let adminEmail = '';
  let adminSecret = '';
  let paymentId = '';
  let merchant: TestMerchant;

  before(async () => {
    app = await startLiveApp({ config: { codes: { maxCodesPerPhonePerHour: 100 } } });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  const tablet = (locale = 'en-US') => browser.newContext({ viewport: { width: 768, height: 1024 }, locale, hasTouch: true });


  const signIn = (context: BrowserContext, email: string, secret?: string) => signInAt(app, context, { area: 'console', email, password: PASSWORD, totpSecret: secret });

  it('an admin set up from the CLI link enrols TOTP, signs in again with it, and finds a payment by phone across two merchants', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'lib/cli.ts', 'operators:create', '--email', 'admin@ops.example', '--role', 'admin'],
      { env: { ...process.env, NODE_ENV: 'development', DATABASE_URL: app.database.url, PUBLIC_URL: app.url } });
    const made = JSON.parse(stdout);
    rememberSecret(new URL(made.setup_url).pathname.split('/').pop());
    adminEmail = made.email;
    const context = await tablet();
    const page = await context.newPage();
    const problems = watchConsole(page);
    await page.goto(made.setup_url);
    await assertAccessible(page, 'the set-up page');
    adminSecret = (await page.getAttribute('input[name=totp_secret]', 'value'))!;
    await page.fill('#password', PASSWORD);
    await page.fill('#password_again', PASSWORD);
    await page.fill('#totp', await totpCode(adminSecret, app.clock.now()));
    await page.click('main button[type=submit]');
    await page.waitForURL(/\/console$/);
    await page.click('form.signout button');
    await page.waitForURL(/\/console\/login\?signed_out=1$/);

    const [a, b] = [await createTestMerchant(app), await createTestMerchant(app)];
    const { payment, buyer } = await payNow(app, a, '9.00');
    await payNow(app, b, '4.00', {}, { buyer });
    const home = await signIn(context, adminEmail, adminSecret);
    assert.equal(await home.locator('[data-metric]').count(), 6);
    await assertAccessible(home, 'the overview');
    await screenshot(home, 'console-tablet-overview');
    // live: a payment made while the overview is open shows in its figures without a reload
    const before = Number(await home.getAttribute('[data-metric="payments-today"]', 'data-value'));
    await new Promise((r) => setTimeout(r, 300)); // the event stream is open
    await payNow(app, b, '1.00');
    const shown = () => home.getAttribute('[data-metric="payments-today"]', 'data-value').then(Number);
    const until = Date.now() + 4000;
    while (Date.now() < until && (await shown()) !== before + 1) await new Promise((r) => setTimeout(r, 50));
    assert.equal(await shown(), before + 1, 'the overview counts the new payment without a reload');
    await home.click('nav a[href="/console/payments"]');
    await home.fill('#q', `+${buyer.phone.slice(0, 1)} ${buyer.phone.slice(1, 4)} ${buyer.phone.slice(4)}`);
    await home.click('form.filters button[type=submit]');
    await home.waitForURL(/\/console\/payments\?q=/);
    const ids = await home.locator('tr[data-payment-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-payment-id')));
    assert.equal(ids.length, 2);
    assert.ok(ids.includes(payment.id));
    await assertAccessible(home, 'the payments search');
    assert.deepEqual(problems, []);
    await context.close();
    paymentId = payment.id;
    merchant = a;
  });

  it('finance refunds it (the merchant sees it in the office); support sees no refund form and posting it is 403; the audit lists every step', async () => {
    const finance = await consoleUser(app, 'finance');
    const context = await tablet();
    const page = await signIn(context, finance.email, finance.totpSecret);
    await page.goto(`${app.url}/console/payments/${paymentId}`);
    await assertAccessible(page, 'a payment');
    page.once('dialog', (d) => void d.accept());
    await page.fill('form[data-action="refund"] input[name=amount]', '2.00');
    await page.click('form[data-action="refund"] button[type=submit]');
    await page.waitForURL(/done=refund/);
    assert.match(await page.locator('.flash').innerText(), /2\.00/);
    await context.close();

    const owner = await officeUser(app, merchant, 'viewer');
    assert.match((await owner.agent.get(`/office/payments/${paymentId}`).expect(200)).text, /data-refund-id="rfd_/);

    const support = await consoleUser(app, 'support');
    const supportContext = await tablet();
    const supportPage = await signIn(supportContext, support.email);
    await supportPage.goto(`${app.url}/console/payments/${paymentId}`);
    assert.equal(await supportPage.locator('form[data-action="refund"]').count(), 0);
    // the browser posts the form the page does not show, with the page's CSRF token
    const status = await supportPage.evaluate(`(async () => {
      const csrf = document.querySelector('input[name=_csrf]').value;
      const res = await fetch('/console/payments/${paymentId}/refund', { method: 'POST', body: new URLSearchParams({ _csrf: csrf, amount: '1.00', confirmed: '1' }) });
      return res.status;
    })()`);
    assert.equal(status, 403);
    await supportContext.close();

    const adminContext = await tablet();
    const admin = await signIn(adminContext, adminEmail, adminSecret);
    await admin.goto(`${app.url}/console/audit`);
    const rows = await admin.locator('tr[data-audit-action]').evaluateAll((trs) => trs.map((tr) => `${tr.getAttribute('data-audit-action')} ${tr.getAttribute('data-audit-email')}`));
    for (const step of ['operator.create', `user.setup ${adminEmail}`, `sign_out ${adminEmail}`, `sign_in ${adminEmail}`, `sign_in ${finance.email}`, `payment.refund ${finance.email}`, `sign_in ${support.email}`]) {
      assert.ok(rows.some((r) => r.startsWith(step)), `the audit lists ${step}`);
    }
    await assertAccessible(admin, 'the audit');
    await adminContext.close();
    await assertLedgerClean(app);
  });

  it('in Arabic at 768 px every console page passes axe', async () => {
    const context = await tablet('ar');
    const page = await signIn(context, adminEmail, adminSecret);
    for (const path of ['/console?lang=ar', '/console/payments', `/console/payments/${paymentId}`, '/console/merchants', `/console/merchants/${merchant.id}`, '/console/audit']) {
      await page.goto(`${app.url}${path}`);
      assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
      await assertAccessible(page, `${path} in Arabic`);
    }
    await screenshot(page, 'console-tablet-audit-ar');
    await context.close();
  });
});
