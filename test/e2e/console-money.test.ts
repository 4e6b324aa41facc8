import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startLiveApp, type LiveApp } from '../helpers/live-app.js';
import { launchBrowser, screenshot, watchConsole, assertAccessible, signInAt } from '../helpers/browser.js';
import { rememberSecret } from '../helpers/log-capture.js';
import { api, createBuyer, createTestMerchant } from '../helpers/merchant.js';
import { assertLedgerClean, payNow } from '../helpers/payments.js';
import { officeUser, PASSWORD } from '../helpers/office.js';
import { consoleUser, type ConsoleUser } from '../helpers/console.js';
import { DAY_MS } from '../../lib/domain/time.js';
import { topUpWallet } from '../../lib/use-cases/buyers/top-up-wallet.js';
import type { Minor } from '../../lib/domain/money.js';

/** docs/operator-guide.md#operator-console in headless Chromium on a 768 px tablet: the cashier's desk and its limit, the bank step, roles, axe. */
describe('operator console money pages in a real browser (headless Chromium)', function () {
  this.timeout(120_000);
  let app: LiveApp;
  let browser: Browser;
  let finance: ConsoleUser;

  before(async () => {
    app = await startLiveApp({ config: { cashierTopupPerDay: '100.00', codes: { maxCodesPerPhonePerHour: 100 } } });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  const tablet = (locale = 'en-US') => browser.newContext({ viewport: { width: 768, height: 1024 }, locale, hasTouch: true });


  // a cashier lands on the wallet desk
  const signIn = (context: BrowserContext, user: ConsoleUser) => signInAt(app, context, { area: 'console', email: user.email, password: PASSWORD, totpSecret: user.totpSecret, landing: /\/console(\/wallets)?$/ });

  it('a cashier tops up a phone twice, each with its slip, and the third top-up past the daily limit is refused with the reason', async () => {
    const cashier = await consoleUser(app, 'cashier');
    const buyer = await createBuyer(app, '1.00');
    const context = await tablet();
    const page = await signIn(context, cashier);
    const problems = watchConsole(page);
    assert.match(page.url(), /\/console\/wallets$/, "a cashier's /console is the desk");
    page.on('dialog', (d) => void d.accept());
    const topUp = async (amount: string) => {
      await page.goto(`${app.url}/console/wallets`);
      await page.fill('#phone', `+${buyer.phone.slice(0, 1)} ${buyer.phone.slice(1, 4)} ${buyer.phone.slice(4)}`);
      await page.click('form[role=search] button[type=submit]');
      await page.waitForSelector(`section[data-purse="${buyer.purse}"]`);
      await page.fill(`form[data-action="topup"] input[name=amount]`, amount);
      const [answer] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.click('form[data-action="topup"] button[type=submit]')]);
      await page.waitForLoadState();
      return answer;
    };
    await topUp('60.00');
    await page.waitForURL(/\/console\/wallets\/slips\/\d+$/);
    assert.equal(await page.getAttribute('[data-slip]', 'data-amount'), '60.00');
    await assertAccessible(page, 'the slip');
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('.office-header').isVisible(), false, 'only the slip is printed');
    assert.equal(await page.locator('[data-slip]').isVisible(), true);
    await screenshot(page, 'console-slip-print');
    await page.emulateMedia({ media: 'screen' });
    await topUp('40.00');
    await page.waitForURL(/\/console\/wallets\/slips\/\d+$/);
    const refused = await topUp('0.01');
    assert.equal(refused.status(), 403);
    assert.match(await page.locator('[role=alert]').innerText(), /daily limit of 100\.00/);
    assert.equal(await page.getAttribute(`section[data-purse="${buyer.purse}"]`, 'data-balance'), '101.00');
    await assertAccessible(page, 'the desk refusing a top-up');
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('finance marks a payout paid with the bank reference, and the merchant sees it in the office; support sees no top-up form and posting it is 403', async () => {
    const merchant = await createTestMerchant(app);
    await app.admin('patch', `/admin/v1/merchants/${merchant.id}`).send({ payout_account: 'IBAN DE89 3704 0044 0532 0130 00', payout_delay_days: 0 }).expect(200);
    await payNow(app, merchant, '15.00');
    app.clock.advance(DAY_MS);
    const payout = (await api(app, merchant).post('/payouts', { purse: merchant.purse }).expect(201)).body;
    finance = await consoleUser(app, 'finance');
    const context = await tablet();
    const page = await signIn(context, finance);
    await page.click('nav a[href="/console/payouts"]');
    await page.waitForSelector(`tr[data-payout-id="${payout.id}"][data-status="pending"]`);
    await assertAccessible(page, 'the payouts');
    page.once('dialog', (d) => void d.accept());
    await page.fill(`#reference-${payout.id}`, 'BANK-REF-2026-1');
    await page.click(`tr[data-payout-id="${payout.id}"] form[data-action="paid"] button[type=submit]`);
    await page.waitForURL(/status=paid&done=paid/);
    assert.equal(await page.locator(`tr[data-payout-id="${payout.id}"][data-status="paid"]`).count(), 1);
    await context.close();

    const owner = await officeUser(app, merchant, 'viewer');
    const office = await tablet();
    await office.addCookies([{ name: 'tp_office', value: owner.cookie.split('=')[1]!, url: app.url }]);
    const officePage = await office.newPage();
    await officePage.goto(`${app.url}/office/payouts/${payout.id}`);
    const facts = await officePage.locator('dl.facts').innerText();
    assert.match(facts, /paid/);
    assert.match(facts, /BANK-REF-2026-1/);
    await office.close();

    const support = await consoleUser(app, 'support');
    const buyer = await createBuyer(app, '1.00');
    const supportContext = await tablet();
    const supportPage = await signIn(supportContext, support);
    await supportPage.goto(`${app.url}/console/wallets?phone=${encodeURIComponent(`+${buyer.phone}`)}`);
    assert.equal(await supportPage.locator(`section[data-purse="${buyer.purse}"]`).count(), 1);
    assert.equal(await supportPage.locator('form[data-action="topup"]').count(), 0);
    const status = await supportPage.evaluate(`(async () => {
      const csrf = document.querySelector('input[name=_csrf]').value;
      const once = document.querySelector('form[data-action="freeze"] input[name=_once]').value;
      const res = await fetch('/console/wallets/${buyer.purse}/topup', { method: 'POST', body: new URLSearchParams({ _csrf: csrf, _once: once, amount: '5.00', confirmed: '1' }) });
      return res.status;
    })()`);
    assert.equal(status, 403);
    await supportContext.close();
    await assertLedgerClean(app);
  });

  it('in Arabic at 768 px every money page passes axe, the new vouchers page included', async () => {
    const buyer = await createBuyer(app, '3.00');
    const context = await tablet('ar');
    const page = await signIn(context, finance);
    for (const path of [`/console/wallets?lang=ar&phone=${encodeURIComponent(`+${buyer.phone}`)}`, '/console/payouts?status=paid', '/console/notifications', '/console/vouchers',
      `/console/limits?phone=${encodeURIComponent(`+${buyer.phone}`)}`, '/console/limits']) {
      await page.goto(`${app.url}${path}`);
      assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
      await assertAccessible(page, `${path} in Arabic`);
    }
    await page.goto(`${app.url}/console/vouchers`);
    await page.fill('#v-amount', '2.00');
    await page.fill('#v-count', '2');
    await page.click('form[data-action="vouchers"] button[type=submit]');
    await page.waitForSelector('form[data-confirmed]');
    await assertAccessible(page, 'the confirmation in Arabic');
    await page.click('form[data-confirmed] button[type=submit]');
    await page.waitForSelector('[data-shown-once]');
    for (const code of await page.locator('code[data-code]').allInnerTexts()) rememberSecret(code);
    assert.equal(await page.locator('code[data-code]').count(), 2);
    // the CSV comes out of the page itself: no address serves the codes a second time
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a[data-codes-csv]')]);
    const csv = readFileSync((await download.path())!, 'utf8');
    assert.equal(csv.split('\r\n')[0], 'id,code,amount,currency,expires_at');
    assert.equal(csv.trim().split('\r\n').length, 3);
    await assertAccessible(page, 'the new vouchers in Arabic');
    await screenshot(page, 'console-vouchers-ar');
    await context.close();
  });

  it('a wallet\'s history of 54 movements pages older and back, without JavaScript too, and passes axe in Arabic', async () => {
    const buyer = await createBuyer(app, '1.00');
    for (let i = 1; i <= 53; i++) await topUpWallet({ db: app.database.db, clock: app.clock }, { purse: buyer.purse, amount: BigInt(i) as Minor });
    const reader = await consoleUser(app, 'support');
    const rows = (page: Page) => page.locator(`section[data-purse="${buyer.purse}"] tr[data-entry-id]`);
    const pager = (page: Page, which: string) => page.locator(`nav[data-history-pages="${buyer.purse}"] a[data-page="${which}"]`);
    const desk = `${app.url}/console/wallets?phone=${encodeURIComponent(`+${buyer.phone}`)}`;

    const noScript = await browser.newContext({ viewport: { width: 768, height: 1024 }, hasTouch: true, javaScriptEnabled: false });
    const plain = await signIn(noScript, reader);
    await plain.goto(desk);
    assert.equal(await rows(plain).count(), 50);
    const newest = await rows(plain).first().getAttribute('data-entry-id');
    await pager(plain, 'older').click();
    await plain.waitForURL(/&before=\d+/);
    assert.equal(await rows(plain).count(), 4);
    assert.equal(await pager(plain, 'older').count(), 0);
    await pager(plain, 'newer').click();
    await plain.waitForURL(/&after=\d+/);
    assert.equal(await rows(plain).count(), 50);
    assert.equal(await rows(plain).first().getAttribute('data-entry-id'), newest);
    await plain.goto(`${desk}&purse=${buyer.purse}&before=nope`);
    assert.match(await plain.locator('[role=alert]').innerText(), /This page of the history does not exist/);
    await noScript.close();

    const context = await tablet('ar');
    const page = await signIn(context, reader);
    const problems = watchConsole(page);
    await page.goto(`${desk}&lang=ar`);
    await assertAccessible(page, 'the first page of a wallet history in Arabic');
    await pager(page, 'older').click();
    await page.waitForURL(/&before=\d+/);
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    assert.equal(await rows(page).count(), 4);
    await assertAccessible(page, 'an older page of a wallet history in Arabic');
    await screenshot(page, 'console-wallet-history-older-ar');
    await page.goto(`${desk}&purse=${buyer.purse}&before=nope`);
    await assertAccessible(page, 'a bad history page in Arabic');
    assert.deepEqual(problems, []);
    await context.close();
  });
});
