import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startLiveApp, type LiveApp } from '../helpers/live-app.js';
import { launchBrowser, screenshot, watchConsole, assertAccessible, signInAt } from '../helpers/browser.js';
import { capturedLogLines, rememberSecret } from '../helpers/log-capture.js';
import { PASSWORD } from '../helpers/office.js';
import { consoleUser, type ConsoleUser } from '../helpers/console.js';

/** docs/operator-guide.md#operator-console in headless Chromium on a 768 px tablet: the operator users page, with and without JavaScript, axe. */
describe('console operator users in a real browser (headless Chromium)', function () {
  this.timeout(120_000);
  let app: LiveApp;
  let browser: Browser;
  let admin: ConsoleUser;

  before(async () => {
    app = await startLiveApp();
    browser = await launchBrowser();
    admin = await consoleUser(app, 'admin');
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  const tablet = (locale = 'en-US', javaScriptEnabled = true) => browser.newContext({ viewport: { width: 768, height: 1024 }, locale, hasTouch: true, javaScriptEnabled });
  const rowOf = (page: Page, email: string) => page.locator('tr[data-operator-id]', { hasText: email });

  const signIn = (context: BrowserContext, user: ConsoleUser) => signInAt(app, context, { area: 'console', email: user.email, password: PASSWORD, totpSecret: user.totpSecret });

  it('an admin invites an operator (the link shown once works once), changes its role, disables it (its session ends) and enables it', async () => {
    const context = await tablet();
    const page = await signIn(context, admin);
    const problems = watchConsole(page);
    await page.click('nav a[href="/console/operators"]');
    await page.waitForURL(/\/console\/operators$/);
    assert.equal(await rowOf(page, admin.email).getAttribute('data-role'), 'admin');
    assert.equal(await rowOf(page, admin.email).locator('form').count(), 0, 'no form acts on the admin themself');
    await assertAccessible(page, 'the operators page');

    await page.fill('form[data-action="invite"] input[name=email]', 'desk-lead@ops.example');
    await page.selectOption('form[data-action="invite"] select[name=role]', 'support');
    await page.click('form[data-action="invite"] button[type=submit]');
    const link = (await page.locator('[data-shown-once]').innerText()).trim();
    const token = new URL(link).pathname.split('/').pop()!;
    rememberSecret(token);
    assert.equal(await rowOf(page, 'desk-lead@ops.example').getAttribute('data-setup'), 'pending');
    await assertAccessible(page, 'the answer with the set-up link');
    await screenshot(page, 'console-operators-invited');
    await page.goto(`${app.url}/console/operators`);
    assert.equal(await page.locator('[data-shown-once]').count(), 0, 'the link is not shown again');

    const invitee = await tablet();
    const setup = await invitee.newPage();
    await setup.goto(link);
    await setup.fill('#password', PASSWORD);
    await setup.fill('#password_again', PASSWORD);
    await setup.click('main button[type=submit]');
    await setup.waitForURL(/\/console$/);
    const again = await (await invitee.newPage()).goto(link);
    assert.equal(again?.status(), 410, 'the link works once');

    await page.goto(`${app.url}/console/operators`);
    const row = rowOf(page, 'desk-lead@ops.example');
    assert.equal(await row.getAttribute('data-setup'), 'done');
    await row.locator('form[data-action="role"] select').selectOption('cashier');
    await row.locator('form[data-action="role"] button').click();
    await page.waitForURL(/done=role$/);
    assert.equal(await rowOf(page, 'desk-lead@ops.example').getAttribute('data-role'), 'cashier');

    page.once('dialog', (d) => void d.accept());
    await rowOf(page, 'desk-lead@ops.example').locator('form[data-action="disable"] button').click();
    await page.waitForURL(/done=disable$/);
    assert.equal(await rowOf(page, 'desk-lead@ops.example').getAttribute('data-status'), 'disabled');
    await setup.reload();
    assert.match(setup.url(), /\/console\/login$/, "the disabled operator's session has ended");

    page.once('dialog', (d) => void d.accept());
    await rowOf(page, 'desk-lead@ops.example').locator('form[data-action="enable"] button').click();
    await page.waitForURL(/done=enable$/);
    assert.equal(await rowOf(page, 'desk-lead@ops.example').getAttribute('data-status'), 'active');
    await page.goto(`${app.url}/console/audit?action=operator.`);
    const audit = await page.locator('tr[data-audit-action]').evaluateAll((trs) => trs.map((tr) => `${tr.getAttribute('data-audit-action')} ${tr.getAttribute('data-audit-email')}`));
    for (const action of ['operator.create', 'operator.role', 'operator.disable', 'operator.enable']) assert.ok(audit.includes(`${action} ${admin.email}`), action);
    assert.deepEqual(problems, []);
    assert.deepEqual(capturedLogLines.filter((l) => l.includes(token)), [], 'the link is in no log line');
    await invitee.close();
    await context.close();
  });

  it('without JavaScript, disabling asks on a page of its own; other roles get the 403 page; in Arabic the page passes axe', async () => {
    const support = await consoleUser(app, 'support');
    const plain = await tablet('en-US', false);
    const page = await signIn(plain, admin);
    await page.goto(`${app.url}/console/operators`);
    await rowOf(page, support.email).locator('form[data-action="disable"] button').click();
    // axe itself needs JavaScript: this context checks the flow, the shared confirmation page is checked elsewhere
    assert.match(await page.locator('p.question').innerText(), new RegExp(`Disable ${support.email.replace(/[.+]/g, '\\$&')}\\?`));
    await page.click('form[data-confirmed] button[type=submit]');
    await page.waitForURL(/done=disable$/);
    assert.equal(await rowOf(page, support.email).getAttribute('data-status'), 'disabled');
    await plain.close();

    const finance = await consoleUser(app, 'finance');
    const context = await tablet();
    const financePage = await signIn(context, finance);
    assert.equal(await financePage.locator('nav a[href="/console/operators"]').count(), 0);
    const refused = await financePage.goto(`${app.url}/console/operators`);
    assert.equal(refused?.status(), 403);
    assert.match(await financePage.locator('main').innerText(), /Your role may not do this/);
    await assertAccessible(financePage, 'the 403 page');
    await context.close();

    const arabic = await tablet('ar');
    const adminPage = await signIn(arabic, admin);
    await adminPage.goto(`${app.url}/console/operators?lang=ar`);
    assert.equal(await adminPage.getAttribute('html', 'dir'), 'rtl');
    assert.equal(await adminPage.locator('h1').innerText(), 'مستخدمو التشغيل');
    await assertAccessible(adminPage, 'the operators page in Arabic');
    await screenshot(adminPage, 'console-operators-ar');
    // the confirmation page a browser without JavaScript gets, checked here where axe can run
    const enable = rowOf(adminPage, support.email).locator('form[data-action="enable"]');
    await enable.evaluate((form) => form.removeAttribute('data-confirm'));
    await enable.locator('button').click();
    await adminPage.waitForSelector('form[data-confirmed]');
    await assertAccessible(adminPage, 'the confirmation page in Arabic');
    await arabic.close();
  });
});
