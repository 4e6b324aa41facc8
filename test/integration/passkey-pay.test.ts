import assert from 'node:assert/strict';
import supertest from 'supertest';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { createBuyer, createTestMerchant, type TestMerchant } from '../helpers/merchant.js';
import { assertLedgerClean, walletBalance } from '../helpers/payments.js';
import { HostedPage } from '../helpers/hosted-page.js';
import { RecordingGateway } from '../helpers/recording-gateway.js';
import { Receiver } from '../helpers/receiver.js';
import { SoftAuthenticator } from '../helpers/soft-authenticator.js';
import { capturedLogLines } from '../helpers/log-capture.js';
import { query } from '../../lib/postgres/db.js';
import { startPasskeyRegistration, finishPasskeyRegistration } from '../../lib/use-cases/users/register-passkey.js';
import { findUser } from '../../lib/store/users.js';
import type { UserId } from '../../lib/domain/ids.js';

/** docs/buyer-guide.md#paying-with-a-passkey: the hosted page pays with a passkey alone, bound to one payment and amount, once. */
describe('paying with a passkey over HTTP', () => {
  const live = new RecordingGateway('live-fake');
  const receiver = new Receiver();
  let t: TestApp;
  let merchant: TestMerchant;
  let serial = 0;

  before(async () => {
    await receiver.start();
    receiver.reply = () => ({ status: 200, body: 'YES' });
    t = await startTestApp({ smsGateway: live, config: { trustProxy: true, limits: { wrongCodesPerClientPerHour: 4 } } });
    merchant = await createTestMerchant(t, { name: 'Passkey Shop', result_url: receiver.url() });
  });
  after(async () => {
    await t.close();
    await receiver.stop();
  });

  /** A buyer with a wallet and a passkey enrolled (as /me does after an SMS-code sign-in). */
  async function buyerWithPasskey() {
    const buyer = await createBuyer(t);
    const id = `usr_passkeytest${String(++serial).padStart(10, '0')}` as UserId;
    await query(t.database.db, `insert into users (id, audience, phone, role, created_at) values (?, 'me', ?, 'buyer', ?)`, [id, buyer.phone, t.clock.now()]);
    const user = (await findUser(t.database.db, id))!;
    const key = new SoftAuthenticator(t.config.publicUrl);
    const options = await startPasskeyRegistration(t.app.deps, user);
    await finishPasskeyRegistration(t.app.deps, user, key.register(options), null);
    return { ...buyer, key, userId: id };
  }

  let address = 0;
  /** A browser of its own, at its own address (TRUST_PROXY), so each case has its own per-address limits. */
  async function browserAt(amount: string) {
    const agent = supertest.agent(t.app.koa.callback()).set('X-Forwarded-For', `198.51.100.${++address}`);
    const page = await HostedPage.fromForm(t, form(amount), agent);
    // the token first: a request takes the cookies the jar holds when it is made
    const options = async () => {
      const csrf = await page.csrf();
      return (await agent.post(`/pay/${page.paymentId}/passkey/options`).type('form').send(new URLSearchParams({ csrf }).toString()).expect(200)).body as Options;
    };
    const answer = async (response: unknown) => {
      const csrf = await page.csrf();
      return agent.post(`/pay/${page.paymentId}/passkey`).type('form').send(new URLSearchParams({ csrf, response: JSON.stringify(response) }).toString());
    };
    return { page, agent, options, answer, id: page.paymentId };
  }
  type Options = { challenge: string; rpId: string; userVerification: string; allowCredentials?: unknown[] };

  const statusOf = async (id: string) => (await query<{ status: string; phone: string | null }>(t.database.db, 'select status, phone from payments where id = ?', [id]))[0]!;
  const form = (amount: string) => ({ LMI_PAYEE_PURSE: merchant.purse, LMI_PAYMENT_AMOUNT: amount });
  const refusedPage = (res: supertest.Response) => {
    assert.equal(res.status, 422, res.text.slice(0, 300));
    assert.match(res.text, /The passkey was not accepted/);
  };

  it('offers the passkey button (hidden until the script finds WebAuthn) and its scripts from our own origin', async () => {
    const { page } = await browserAt('1.00');
    const html = (await page.view().expect(200)).text;
    assert.match(html, /<button type="button" data-passkey hidden>Pay with a passkey<\/button>/);
    assert.match(html, /<script src="\/assets\/simplewebauthn-browser\.js" defer><\/script>/);
    const bundle = await t.http.get('/assets/simplewebauthn-browser.js').expect(200);
    assert.match(bundle.text, /SimpleWebAuthnBrowser/);
    await t.http.get('/assets/passkey.js').expect(200);
  });

  it('pays with the passkey alone: no code SMS, the Result carries the phone, a receipt is sent', async () => {
    const buyer = await buyerWithPasskey();
    const b = await browserAt('7.25');
    const options = await b.options();
    assert.equal(options.rpId, new URL(t.config.publicUrl).hostname);
    assert.equal(options.userVerification, 'required');
    assert.equal(options.allowCredentials?.length ?? 0, 0, 'discoverable: no credential is named');
    const res = await b.answer(buyer.key.assert(options));
    assert.equal(res.status, 303, res.text.slice(0, 300));
    assert.deepEqual(await statusOf(b.id), { status: 'succeeded', phone: buyer.phone });
    assert.equal(await walletBalance(t, buyer.purse), '92.75');
    await t.app.notifier.idle();
    const texts = live.to(buyer.phone).map((m) => m.text);
    assert.equal(texts.filter((x) => /#\d+\s*$/.test(x)).length, 0, 'no code SMS');
    assert.equal(texts.filter((x) => /^Receipt: you paid 7\.25 USD to Passkey Shop/.test(x)).length, 1, 'the receipt');
    const result = receiver.requests.map((r) => new URLSearchParams(r.body)).find((f) => f.get('LMI_TELEPAT_ORDERID') === b.id && f.has('LMI_HASH'));
    assert.equal(result?.get('LMI_TELEPAT_PHONENUMBER'), buyer.phone, 'the Result names the phone');
    const metrics = (await t.http.get('/metrics').expect(200)).text;
    assert.match(metrics, /telepurse_payments_approved_total\{by="passkey"\} 1\n/);
    assert.match(metrics, /telepurse_sms_saved_total 1\n/);
    await assertLedgerClean(t);
  });

  it('never lets an assertion for payment A approve payment B, nor approve A twice', async () => {
    const buyer = await buyerWithPasskey();
    const a = await browserAt('2.00');
    const b = await browserAt('2.00');
    const forA = buyer.key.assert(await a.options());
    refusedPage(await b.answer(forA));
    assert.equal((await statusOf(b.id)).status, 'created', 'B stays unpaid');
    // and B's own challenge, answered on A's page, does not pay A
    const forB = buyer.key.assert(await b.options());
    refusedPage(await a.answer(forB));
    assert.equal((await statusOf(a.id)).status, 'created');
    assert.equal(await walletBalance(t, buyer.purse), '100.00');
  });

  it('refuses a replayed assertion: its challenge is spent', async () => {
    const buyer = await buyerWithPasskey();
    const a = await browserAt('3.00');
    const assertion = buyer.key.assert(await a.options());
    assert.equal((await a.answer(assertion)).status, 303);
    const b = await browserAt('3.00');
    await b.options();
    refusedPage(await b.answer(assertion));
    assert.equal((await statusOf(b.id)).status, 'created');
    assert.equal(await walletBalance(t, buyer.purse), '97.00');
  });

  it('refuses a changed amount, a wrong origin, an old challenge and a user not verified', async () => {
    const buyer = await buyerWithPasskey();
    const b = await browserAt('4.00');
    const options = await b.options();
    await query(t.database.db, `update payments set amount = 401 where id = ?`, [b.id]);
    refusedPage(await b.answer(buyer.key.assert(options)));
    await query(t.database.db, `update payments set amount = 400 where id = ?`, [b.id]);
    refusedPage(await b.answer(buyer.key.assert(await b.options(), { origin: 'http://evil.example' })));
    refusedPage(await b.answer(buyer.key.assert(await b.options(), { userVerified: false })));
    const old = await b.options();
    t.clock.advanceSeconds(6 * 60);
    refusedPage(await b.answer(buyer.key.assert(old)));
    assert.equal((await statusOf(b.id)).status, 'created');
    // the SMS code stays available on the same page
    assert.equal((await b.page.submit('phone', { phone: buyer.phone })).status, 303);
    assert.equal((await statusOf(b.id)).status, 'code_sent');
  });

  it('refuses a signature counter that goes back, and logs it as a cloned authenticator', async () => {
    const buyer = await buyerWithPasskey();
    const a = await browserAt('1.50');
    assert.equal((await a.answer(buyer.key.assert(await a.options(), { counter: 10 }))).status, 303);
    const b = await browserAt('1.50');
    refusedPage(await b.answer(buyer.key.assert(await b.options(), { counter: 9 })));
    assert.equal((await statusOf(b.id)).status, 'created');
    assert.ok(capturedLogLines.some((l) => l.includes('cloned authenticator')), 'logged');
    const [row] = await query<{ counter: string }>(t.database.db, `select counter::text from passkeys where credential_id = ?`, [buyer.key.id]);
    assert.equal(row!.counter, '10');
  });

  it('counts wrong assertions as wrong codes of the address: past the limit even a right one is refused', async () => {
    const buyer = await buyerWithPasskey();
    const stranger = new SoftAuthenticator(t.config.publicUrl);
    const b = await browserAt('5.00');
    for (let i = 0; i < 4; i++) refusedPage(await b.answer(stranger.assert(await b.options())));
    const csrf = await b.page.csrf();
    const res = await b.agent.post(`/pay/${b.id}/passkey/options`).type('form').send(new URLSearchParams({ csrf }).toString());
    assert.equal(res.status, 429);
    const right = await b.answer(buyer.key.assert({ challenge: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }));
    assert.equal(right.status, 429);
    assert.equal((await statusOf(b.id)).status, 'created');
  });

  it("runs the merchant's pre-request for the passkey's phone: NO fails the payment, YES pays", async () => {
    const asking = await createTestMerchant(t, { name: 'Asking Shop', result_url: receiver.url(), prerequest: true });
    const buyer = await buyerWithPasskey();
    const declined = new Set<string>();
    receiver.reply = (req) => {
      const f = new URLSearchParams(req.body);
      if (f.get('LMI_PREREQUEST') !== '1') return { status: 200, body: 'OK' };
      return { status: 200, body: declined.has(f.get('LMI_TELEPAT_ORDERID') ?? '') ? 'NO' : 'YES' };
    };
    try {
      const agent = supertest.agent(t.app.koa.callback()).set('X-Forwarded-For', `198.51.100.${++address}`);
      const pay = async (amount: string) => {
        const page = await HostedPage.fromForm(t, { LMI_PAYEE_PURSE: asking.purse, LMI_PAYMENT_AMOUNT: amount }, agent);
        const csrf = await page.csrf();
        const options = (await agent.post(`/pay/${page.paymentId}/passkey/options`).type('form').send(new URLSearchParams({ csrf }).toString()).expect(200)).body;
        return { page, assertion: buyer.key.assert(options), csrf };
      };
      const no = await pay('2.10');
      declined.add(no.page.paymentId);
      await agent.post(`/pay/${no.page.paymentId}/passkey`).type('form').send(new URLSearchParams({ csrf: no.csrf, response: JSON.stringify(no.assertion) }).toString());
      const [failed] = await query<{ status: string; failure_reason: string }>(t.database.db, 'select status, failure_reason from payments where id = ?', [no.page.paymentId]);
      assert.deepEqual([failed!.status, failed!.failure_reason], ['failed', 'declined_by_merchant']);
      const yes = await pay('2.20');
      const res = await agent.post(`/pay/${yes.page.paymentId}/passkey`).type('form').send(new URLSearchParams({ csrf: yes.csrf, response: JSON.stringify(yes.assertion) }).toString());
      assert.equal(res.status, 303);
      assert.deepEqual(await statusOf(yes.page.paymentId), { status: 'succeeded', phone: buyer.phone });
      const asked = receiver.requests.map((r) => new URLSearchParams(r.body)).filter((f) => f.get('LMI_PREREQUEST') === '1' && f.get('LMI_TELEPAT_ORDERID') === yes.page.paymentId);
      assert.equal(asked.length, 1);
      assert.equal(asked[0]!.get('LMI_TELEPAT_PHONENUMBER'), buyer.phone);
      assert.equal(await walletBalance(t, buyer.purse), '97.80');
    } finally {
      receiver.reply = () => ({ status: 200, body: 'YES' });
    }
  });

  it('refuses a frozen wallet as a code would, and leaves the payment open', async () => {
    const buyer = await buyerWithPasskey();
    await query(t.database.db, `update wallets set status = 'frozen', frozen_at = ? where purse = ?`, [t.clock.now(), buyer.purse]);
    const b = await browserAt('1.00');
    const res = await b.answer(buyer.key.assert(await b.options()));
    assert.equal(res.status, 409);
    assert.equal((await statusOf(b.id)).status, 'created');
    assert.equal(await walletBalance(t, buyer.purse), '100.00');
  });
});
