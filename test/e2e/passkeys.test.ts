import assert from 'node:assert/strict';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { startLiveApp, type LiveApp } from '../helpers/live-app.js';
import { launchBrowser, LOCALHOST_TO_LOOPBACK, watchConsole, assertAccessible } from '../helpers/browser.js';
import { createBuyer, createTestMerchant, lastCode, type TestMerchant } from '../helpers/merchant.js';
import { officeUser, PASSWORD } from '../helpers/office.js';
import { consoleUser } from '../helpers/console.js';
import { RecordingGateway } from '../helpers/recording-gateway.js';
import { Receiver } from '../helpers/receiver.js';
import { walletBalance } from '../helpers/payments.js';
import { query } from '../../lib/postgres/db.js';

/** docs/security.md#passkeys in headless Chromium with the DevTools virtual authenticator, on http://localhost. */
describe('passkeys in a real browser (headless Chromium)', function () {
  this.timeout(90_000);
  let app: LiveApp;
  let browser: Browser;
  let merchant: TestMerchant;
  const gateway = new RecordingGateway();
  const receiver = new Receiver();

  before(async () => {
    await receiver.start();
    receiver.reply = () => ({ status: 200, body: 'YES' });
    app = await startLiveApp({ host: 'localhost', smsGateway: gateway });
    browser = await launchBrowser([LOCALHOST_TO_LOOPBACK]);
    merchant = await createTestMerchant(app, { name: 'Passkey Shop', result_url: receiver.url() });
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await receiver.stop();
  });

  const isCode = (text: string) => /#\d+\s*$/.test(text);
  const statusOf = async (id: string) => (await query<{ status: string }>(app.database.db, 'select status from payments where id = ?', [id]))[0]!.status;

  /** The shop's own page posts the Merchant Interface form to the service; the hosted page's phone step opens. */
  async function merchantForm(page: Page, amount: string): Promise<string> {
    await page.setContent(`<form method="post" action="${app.url}/lmi/payment"><input name="LMI_PAYEE_PURSE" value="${merchant.purse}">
      <input name="LMI_PAYMENT_AMOUNT" value="${amount}"><button>Pay</button></form>`);
    await page.click('button');
    await page.waitForURL(/\/pay\/pay_/);
    return /\/pay\/(pay_[0-9a-z]+)/.exec(page.url())![1]!;
  }

  async function signInByCode(page: Page, phone: string) {
    await page.goto(`${app.url}/me/login`);
    await page.fill('#phone', `+${phone}`);
    await page.click('form[data-phone-form] button[type=submit]');
    await page.waitForSelector('#code');
    await page.fill('#code', lastCode(app, phone));
    await page.click('form[data-code-form] button[type=submit]');
    await page.waitForURL(`${app.url}/me`);
  }

  it('a buyer enrols at /me after an SMS code, then pays from a merchant form with the passkey alone', async () => {
    const buyer = await createBuyer(app, '50.00');
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const { page, cdp, authenticatorId } = await withAuthenticator(context);
    const problems = watchConsole(page);
    await signInByCode(page, buyer.phone);
    await page.click('form[data-action="add-passkey"] button[data-passkey]');
    await page.waitForURL(/\/me\?passkey=added$/);
    assert.equal(await page.locator('li[data-passkey-id]').count(), 1);
    assert.equal((await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials.length, 1);
    await assertAccessible(page, '/me with a passkey');

    await context.clearCookies();
    const sentBefore = gateway.to(buyer.phone).length;
    receiver.requests.length = 0;
    const paymentId = await merchantForm(page, '12.50');
    await page.waitForSelector('button[data-passkey]', { state: 'visible' });
    await assertAccessible(page, 'the phone step with the passkey button');
    await page.click('button[data-passkey]');
    await page.waitForSelector('[data-receipt]');
    assert.equal(await statusOf(paymentId), 'succeeded');
    assert.equal(await walletBalance(app, buyer.purse), '37.50');
    await app.app.notifier.idle();
    const sent = gateway.to(buyer.phone).slice(sentBefore).map((m) => m.text);
    assert.deepEqual(sent.filter(isCode), [], 'the gateway saw no code SMS');
    assert.equal(sent.filter((x) => /^Receipt: you paid 12\.50 USD/.test(x)).length, 1, 'the receipt was sent');
    const result = receiver.requests.map((r) => new URLSearchParams(r.body)).find((f) => f.get('LMI_TELEPAT_ORDERID') === paymentId && f.has('LMI_HASH'));
    assert.equal(result?.get('LMI_TELEPAT_PHONENUMBER'), buyer.phone, 'the Result notification carries the phone');

    // and signs in at /me with it, no SMS
    await page.goto(`${app.url}/me/login`);
    await page.click('button[data-passkey]');
    await page.waitForURL(`${app.url}/me`);
    assert.equal(gateway.to(buyer.phone).slice(sentBefore).filter((m) => isCode(m.text)).length, 0);
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('an assertion captured for payment A and replayed for payment B is refused; B stays unpaid', async () => {
    const buyer = await createBuyer(app, '50.00');
    const context = await browser.newContext();
    const { page } = await withAuthenticator(context);
    await signInByCode(page, buyer.phone);
    await page.click('form[data-action="add-passkey"] button[data-passkey]');
    await page.waitForURL(/\/me\?passkey=added$/);

    // the assertion the browser makes for A is caught on its way and never reaches the server
    const a = await merchantForm(page, '5.00');
    const caught = new Promise<string>((resolve) => {
      void page.route(`**/pay/${a}/passkey`, async (route) => {
        await route.abort();
        resolve(new URLSearchParams(route.request().postData() ?? '').get('response') ?? '');
      });
    });
    await page.waitForSelector('button[data-passkey]', { state: 'visible' });
    await page.click('button[data-passkey]');
    const captured = await caught;
    assert.match(captured, /"clientDataJSON"/);
    await page.unroute(`**/pay/${a}/passkey`);

    const b = await merchantForm(page, '5.00');
    assert.notEqual(b, a);
    await page.waitForSelector('form[data-passkey-form]');
    // B's page posts A's assertion, as a replaying attacker would
    await page.locator('form[data-passkey-form] input[name=response]').evaluate((input, answer) => {
      (input as unknown as { value: string }).value = answer;
    }, captured);
    await page.locator('form[data-passkey-form]').evaluate((form) => (form as unknown as { submit(): void }).submit());
    await page.waitForSelector('text=The passkey was not accepted');
    assert.equal(await statusOf(b), 'created', 'B stays unpaid');
    assert.equal(await statusOf(a), 'created');
    assert.equal(await walletBalance(app, buyer.purse), '50.00');
    await context.close();
  });

  /** A page with a platform authenticator that verifies its user without a prompt. */
  async function withAuthenticator(context: BrowserContext): Promise<{ page: Page; cdp: CDPSession; authenticatorId: string }> {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    });
    return { page, cdp, authenticatorId };
  }

  it('an office user enrols a passkey on the account page, then signs in with it alone', async () => {
    const user = await officeUser(app, merchant, 'owner');
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const { page, cdp, authenticatorId } = await withAuthenticator(context);
    const problems = watchConsole(page);
    await page.goto(`${app.url}/office/login`);
    await page.waitForSelector('button[data-passkey]', { state: 'visible' });
    await page.fill('#email', user.email);
    await page.fill('#password', PASSWORD);
    await page.click('form[action="/office/login"] button[type=submit]');
    await page.waitForURL(/\/office$/);
    await page.goto(`${app.url}/office/account`);
    await page.click('form[data-action="add-passkey"] button[data-passkey]');
    await page.waitForURL(/\/office\/account\/passkeys\?passkey=added$/);
    assert.equal(await page.locator('li[data-passkey-id]').count(), 1);
    await assertAccessible(page, 'the account page with a passkey');
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    assert.equal(credentials.length, 1);
    assert.equal(credentials[0]!.isResidentCredential, true, 'a discoverable credential');

    await context.clearCookies();
    await page.goto(`${app.url}/office/login`);
    await page.click('button[data-passkey]');
    await page.waitForURL(/\/office$/);
    assert.match(await page.content(), new RegExp(user.email.replace('.', '\\.')));
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('a console admin (authenticator required) enrols a passkey, then signs in with it alone: no authenticator code asked', async () => {
    const admin = await consoleUser(app, 'admin');
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const [name, value] = admin.cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: `${app.url}/console` }]);
    const { page } = await withAuthenticator(context);
    const problems = watchConsole(page);
    await page.goto(`${app.url}/console/account/passkeys`);
    await page.click('form[data-action="add-passkey"] button[data-passkey]');
    await page.waitForURL(/\/console\/account\/passkeys\?passkey=added$/);
    assert.equal(await page.locator('li[data-passkey-id]').count(), 1);
    await assertAccessible(page, 'the console passkeys page');

    await context.clearCookies();
    await page.goto(`${app.url}/console/login`);
    await page.click('button[data-passkey]');
    await page.waitForURL(`${app.url}/console`);
    assert.doesNotMatch(page.url(), /totp/);
    assert.deepEqual(problems, []);
    await context.close();
  });
});
