import assert from 'node:assert/strict';
import supertest from 'supertest';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { createBuyer, createTestMerchant, type TestMerchant } from '../helpers/merchant.js';
import { signInAtMe, type MeBuyer } from '../helpers/me.js';
import { csrfOf, officeUser, onceOf } from '../helpers/office.js';
import { SoftAuthenticator } from '../helpers/soft-authenticator.js';
import { HostedPage } from '../helpers/hosted-page.js';
import { capturedLogLines } from '../helpers/log-capture.js';
import { query } from '../../lib/postgres/db.js';
import { formToken } from '../../lib/http/shared/action-tokens.js';

/** docs/buyer-guide.md#paying-with-a-passkey and docs/security.md#passkeys: enrol, list, remove, sign in, unfreeze; office users. */
describe('passkeys of /me and the office over HTTP', () => {
  let t: TestApp;
  let merchant: TestMerchant;
  let address = 0;

  before(async () => {
    t = await startTestApp({ config: { trustProxy: true, limits: { signInFailuresPerClient: 5 } } });
    merchant = await createTestMerchant(t);
  });
  after(() => t.close());

  const nextAddress = () => `203.0.113.${++address}`;

  /** The enrol form of /me, as passkey.js does it: options, the authenticator's answer, the form posted with its one-time token. */
  async function enrolAtMe(buyer: MeBuyer, key: SoftAuthenticator) {
    const html = await buyer.page();
    const options = await buyer.agent.post('/me/passkeys/options').set('X-Forwarded-For', buyer.address).type('form').send({ _csrf: buyer.csrf }).expect(200);
    assert.equal(options.body.authenticatorSelection.residentKey, 'required');
    assert.equal(options.body.authenticatorSelection.userVerification, 'required');
    return buyer.agent.post('/me/passkeys').set('X-Forwarded-For', buyer.address).type('form')
      .send({ _csrf: buyer.csrf, _once: onceOf(html, '/me/passkeys'), response: JSON.stringify(key.register(options.body)) });
  }

  async function passkeySignIn(agent: supertest.Agent, base: '/me' | '/office', key: SoftAuthenticator, at: string, overrides = {}) {
    const login = await agent.get(`${base}/login`).set('X-Forwarded-For', at).expect(200);
    const token = csrfOf(login.text);
    const options = await agent.post(`${base}/login/passkey/options`).set('X-Forwarded-For', at).type('form').send({ _csrf: token }).expect(200);
    return agent.post(`${base}/login/passkey`).set('X-Forwarded-For', at).type('form').send({ _csrf: token, response: JSON.stringify(key.assert(options.body, overrides)) });
  }

  const passkeyIds = (html: string) => [...html.matchAll(/<li data-passkey-id="(\d+)"/g)].map((m) => m[1]!);

  it('a buyer signed in by SMS code enrols a passkey, sees it listed, and signs in with it', async () => {
    const wallet = await createBuyer(t);
    const buyer = await signInAtMe(t, wallet.phone, nextAddress());
    const key = new SoftAuthenticator(t.config.publicUrl);
    const added = await enrolAtMe(buyer, key);
    assert.equal(added.status, 303);
    assert.equal(added.headers.location, '/me?passkey=added');
    assert.equal(passkeyIds(await buyer.page()).length, 1);
    const [stored] = await query<{ public_key: Buffer; credential_id: string }>(t.database.db, 'select public_key, credential_id from passkeys where credential_id = ?', [key.id]);
    assert.deepEqual(new Uint8Array(stored!.public_key), key.cosePublicKey(), 'the public key, nothing secret');

    const fresh = supertest.agent(t.app.koa.callback());
    const signed = await passkeySignIn(fresh, '/me', key, nextAddress());
    assert.equal(signed.status, 303);
    assert.equal(signed.headers.location, '/me');
    assert.match((await fresh.get('/me').expect(200)).text, /data-purse=/);
  });

  it('only a passkey sign-in may unfreeze; an SMS-code session may not', async () => {
    const wallet = await createBuyer(t);
    const buyer = await signInAtMe(t, wallet.phone, nextAddress());
    const key = new SoftAuthenticator(t.config.publicUrl);
    await enrolAtMe(buyer, key);
    const before = await buyer.page();
    await buyer.agent.post('/me/freeze').set('X-Forwarded-For', buyer.address).type('form').send({ _csrf: buyer.csrf, _once: onceOf(before, '/me/freeze') }).expect(303);
    const smsPage = await buyer.page();
    assert.match(smsPage, /data-status="frozen"/);
    assert.doesNotMatch(smsPage, /data-action="unfreeze"/, 'an SMS-code session is offered no unfreeze');
    // posted anyway, with a good one-time token: the use-case refuses an SMS-code session
    const refused = await buyer.agent.post('/me/unfreeze').set('X-Forwarded-For', buyer.address).type('form')
      .send({ _csrf: buyer.csrf, _once: formToken(buyer.csrf, '/me/unfreeze', t.clock.now()) });
    assert.equal(refused.status, 403);

    const at = nextAddress();
    const agent = supertest.agent(t.app.koa.callback());
    assert.equal((await passkeySignIn(agent, '/me', key, at)).status, 303);
    const page = (await agent.get('/me').set('X-Forwarded-For', at).expect(200)).text;
    const unfrozen = await agent.post('/me/unfreeze').set('X-Forwarded-For', at).type('form').send({ _csrf: csrfOf(page), _once: onceOf(page, '/me/unfreeze') });
    assert.equal(unfrozen.status, 303);
    const [row] = await query<{ status: string }>(t.database.db, 'select status from wallets where purse = ?', [wallet.purse]);
    assert.equal(row!.status, 'active');
  });

  it('removing the last passkey needs a fresh SMS-code sign-in', async () => {
    const wallet = await createBuyer(t);
    const buyer = await signInAtMe(t, wallet.phone, nextAddress());
    const key = new SoftAuthenticator(t.config.publicUrl);
    await enrolAtMe(buyer, key);
    const remove = async (who: { agent: supertest.Agent; at: string }) => {
      const page = (await who.agent.get('/me').set('X-Forwarded-For', who.at).expect(200)).text;
      return who.agent.post('/me/passkeys/remove').set('X-Forwarded-For', who.at).type('form')
        .send({ _csrf: csrfOf(page), _once: onceOf(page, '/me/passkeys/remove'), passkey: passkeyIds(page)[0]! });
    };
    // a passkey session is no SMS-code sign-in
    const at = nextAddress();
    const byPasskey = supertest.agent(t.app.koa.callback());
    await passkeySignIn(byPasskey, '/me', key, at);
    assert.equal((await remove({ agent: byPasskey, at })).status, 403);
    // an SMS-code session of 6 minutes ago is no longer fresh
    t.clock.advanceSeconds(6 * 60);
    const stale = await remove({ agent: buyer.agent, at: buyer.address });
    assert.equal(stale.status, 403);
    assert.match(stale.text, /sign in again with an SMS code/);
    const again = await signInAtMe(t, wallet.phone, nextAddress());
    assert.equal((await remove({ agent: again.agent, at: again.address })).status, 303);
    assert.equal(passkeyIds(await again.page()).length, 0);
  });

  it('an office user whose merchant requires an authenticator signs in with a passkey alone: it is both factors', async () => {
    const owner = await officeUser(t, merchant, 'owner', { totp: true });
    const account = (await owner.agent.get('/office/account').expect(200)).text;
    const key = new SoftAuthenticator(t.config.publicUrl);
    const options = await owner.agent.post('/office/account/passkeys/options').type('form').send({ _csrf: csrfOf(account) }).expect(200);
    await owner.agent.post('/office/account/passkeys').type('form').send({ _csrf: csrfOf(account), response: JSON.stringify(key.register(options.body)) }).expect(303);
    assert.equal(passkeyIds((await owner.agent.get('/office/account').expect(200)).text).length, 1);
    await query(t.database.db, `update merchants set require_totp = true where id = ?`, [merchant.id]);

    const agent = supertest.agent(t.app.koa.callback());
    const signed = await passkeySignIn(agent, '/office', key, nextAddress());
    assert.equal(signed.status, 303);
    assert.equal(signed.headers.location, '/office');
    const journal = await agent.get('/office').expect(200);
    assert.doesNotMatch(journal.text, /name="totp"/, 'no authenticator code asked for');
    // a counter going back is refused at sign-in too
    const cloned = await passkeySignIn(supertest.agent(t.app.koa.callback()), '/office', key, nextAddress(), { counter: 1 });
    assert.equal(cloned.status, 401);
    assert.ok(capturedLogLines.some((l) => l.includes('cloned authenticator')));
  });

  it('counts wrong passkey sign-ins against the address, before they are checked', async () => {
    const stranger = new SoftAuthenticator(t.config.publicUrl);
    const at = nextAddress();
    const agent = supertest.agent(t.app.koa.callback());
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await passkeySignIn(agent, '/office', stranger, at).catch(() => ({ status: 0 }))).status);
    // five refused (unknown passkey), then the address is held back before anything is checked (its options too)
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 0]);
    const login = await agent.get('/office/login').set('X-Forwarded-For', at).expect(200);
    const options = await agent.post('/office/login/passkey/options').set('X-Forwarded-For', at).type('form').send({ _csrf: csrfOf(login.text) });
    assert.equal(options.status, 429);
  });

  it('offers no passkey option on an IP-address PUBLIC_URL, and says why once at start', async () => {
    const ip = await startTestApp({ config: { publicUrl: 'http://127.0.0.1:3000' } });
    try {
      const m = await createTestMerchant(ip);
      const page = await HostedPage.fromForm(ip, { LMI_PAYEE_PURSE: m.purse, LMI_PAYMENT_AMOUNT: '1.00' });
      const html = (await page.view().expect(200)).text;
      assert.doesNotMatch(html, /data-passkey/);
      assert.doesNotMatch(html, /simplewebauthn/);
      assert.doesNotMatch((await ip.http.get('/office/login').expect(200)).text, /data-passkey/);
      assert.doesNotMatch((await ip.http.get('/me/login').expect(200)).text, /data-passkey/);
      assert.ok(capturedLogLines.some((l) => l.includes('PUBLIC_URL http://127.0.0.1:3000 is an IP address')));
    } finally {
      await ip.close();
    }
  });
});
