import assert from 'node:assert/strict';
import supertest from 'supertest';
import { useTestApp } from '../helpers/test-app.js';
import { createTestMerchant } from '../helpers/merchant.js';
import { officeUser, csrfOf, onceOf, PASSWORD, type OfficeUser } from '../helpers/office.js';
import { rememberSecret } from '../helpers/log-capture.js';
import { totpCode } from '../../lib/domain/totp.js';

/** docs/merchant-guide.md#back-office "Users" and "Sign-in under load", and the replay without set-up links of docs/merchant-guide.md#shops-methods-and-keys, through HTTP. */
describe('back-office users (HTTP)', () => {
  const t = useTestApp();

  const agentOf = () => supertest.agent(t.app.koa.callback());
  async function loginForm(agent: supertest.Agent) {
    return csrfOf((await agent.get('/office/login').expect(200)).text);
  }
  async function failedSignIns(email: string): Promise<number> {
    return (await t.database.db.raw(`select count(*)::int as n from audit_log where email = ? and action = 'sign_in_failed'`, [email])).rows[0].n;
  }
  async function signedIn(email: string, password = PASSWORD) {
    const agent = agentOf();
    const csrf = await loginForm(agent);
    const res = await agent.post('/office/login').type('form').send({ _csrf: csrf, email, password });
    return { agent, res };
  }
  async function userIdOf(email: string): Promise<string> {
    return (await t.database.db.raw('select id from users where email = ?', [email])).rows[0].id;
  }

  it('20 parallel wrong passwords and the right one after them: at most 5 are checked, and the right one is refused while locked', async () => {
    const merchant = await createTestMerchant(t);
    const owner = await officeUser(t, merchant, 'owner');
    const agent = agentOf();
    const csrf = await loginForm(agent);
    const post = (password: string) => agent.post('/office/login').type('form').send({ _csrf: csrf, email: owner.email, password });
    const answers = await Promise.all([...Array.from({ length: 20 }, (_, i) => post(`wrong password ${i}!`)), post(PASSWORD)]);
    assert.equal(answers.at(-1)!.status, 429, 'the right password in the same burst is refused');
    assert.ok(answers.every((a) => a.status === 401 || a.status === 429), answers.map((a) => a.status).join());
    assert.ok((await failedSignIns(owner.email)) <= 5, `${await failedSignIns(owner.email)} wrong passwords were checked`);
    assert.equal((await signedIn(owner.email)).res.status, 429, 'still locked');
    t.clock.advance(16 * 60_000);
    assert.equal((await signedIn(owner.email)).res.status, 303);
  });

  it('the operator lifts a locked e-mail (POST /admin/v1/limits/emails/{email}/lift): the right password signs in at once', async () => {
    const merchant = await createTestMerchant(t);
    const owner = await officeUser(t, merchant, 'owner');
    for (let i = 0; i < 5; i++) await signedIn(owner.email, `wrong password ${i}!`);
    assert.equal((await signedIn(owner.email)).res.status, 429, 'locked');
    const bad = await t.admin('post', '/admin/v1/limits/emails/not-an-email/lift').expect(400);
    assert.match(JSON.stringify(bad.body), /e-mail/);
    const lifted = await t.admin('post', `/admin/v1/limits/emails/${encodeURIComponent(owner.email.toUpperCase())}/lift`).expect(200);
    assert.deepEqual(lifted.body, { email: owner.email, lifted: true });
    assert.equal((await signedIn(owner.email)).res.status, 303, 'signs in without waiting 15 minutes');
  });

  it('100 parallel TOTP codes: at most 5 are checked, then the right code is refused while locked', async () => {
    const merchant = await createTestMerchant(t);
    const owner = await officeUser(t, merchant, 'owner', { totp: true });
    t.clock.advance(60_000);
    const { agent, res } = await signedIn(owner.email);
    assert.equal(res.headers.location, '/office/totp', `${res.status} ${res.text?.slice(-1500)}`);
    const csrf = csrfOf((await agent.get('/office/totp').expect(200)).text);
    const right = await totpCode(owner.totpSecret!, t.clock.now());
    const wrong = Array.from({ length: 100 }, (_, i) => String((Number(right) + 1 + i) % 1_000_000).padStart(6, '0'));
    const answers = await Promise.all(wrong.map((totp) => agent.post('/office/totp').type('form').send({ _csrf: csrf, totp })));
    assert.ok(answers.every((a) => a.status === 401 || a.status === 429), answers.map((a) => a.status).join());
    assert.ok((await failedSignIns(owner.email)) <= 5, `${await failedSignIns(owner.email)} codes were checked`);
    assert.equal((await agent.post('/office/totp').type('form').send({ _csrf: csrf, totp: right })).status, 429);
  });

  it('a TOTP code signs in once: the same step, and an earlier one, are refused afterwards; enrolment spends its code too', async () => {
    const merchant = await createTestMerchant(t);
    const owner = await officeUser(t, merchant, 'owner', { totp: true });
    t.clock.advance(90_000);
    const second = async (code: string) => {
      const { agent } = await signedIn(owner.email);
      const csrf = csrfOf((await agent.get('/office/totp').expect(200)).text);
      return (await agent.post('/office/totp').type('form').send({ _csrf: csrf, totp: code })).status;
    };
    const code = await totpCode(owner.totpSecret!, t.clock.now());
    assert.equal(await second(code), 303);
    assert.equal(await second(code), 401, 'the same code again');
    const previous = await totpCode(owner.totpSecret!, new Date(t.clock.now().getTime() - 30_000));
    assert.equal(await second(previous), 401, 'the step before');
    t.clock.advance(30_000);
    assert.equal(await second(await totpCode(owner.totpSecret!, t.clock.now())), 303, 'the next step');

    // a new authenticator: the code that confirmed it does not sign in again
    const enrol = await owner.agent.get('/office/totp/enrol').expect(200);
    const secret = /name="totp_secret" value="([A-Z2-7]+)"/.exec(enrol.text)![1]!;
    t.clock.advance(30_000);
    const enrolCode = await totpCode(secret, t.clock.now());
    await owner.agent.post('/office/totp/enrol').type('form').send({ _csrf: csrfOf(enrol.text), totp_secret: secret, totp: enrolCode }).expect(303);
    assert.equal(await second(enrolCode), 401, 'the enrolment code is spent');
  });

  it('an Idempotency-Key replay of a created user answers setup_url null, and no set-up link is kept readable', async () => {
    const merchant = await createTestMerchant(t);
    const send = () => t.admin('post', `/admin/v1/merchants/${merchant.id}/users`).set('Idempotency-Key', 'user-once-1').send({ email: 'replay@shop.example', role: 'staff' });
    const first = await send().expect(201);
    const token = new URL(first.body.setup_url).pathname.split('/').pop()!;
    rememberSecret(token);
    const again = await send().expect(201);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.deepEqual(again.body, { ...first.body, setup_url: null });
    const kept = await t.database.db.raw('select response_body::text as body from idempotency_keys');
    assert.ok(kept.rows.length > 0);
    assert.ok(kept.rows.every((r: { body: string }) => !r.body.includes(token) && !r.body.includes('/office/setup/')), 'no set-up link in idempotency_keys');
    await supertest(t.app.koa.callback()).get(new URL(first.body.setup_url).pathname).expect(200);
  });

  describe('managing users', () => {
    let owner: OfficeUser;
    let staff: OfficeUser;
    let merchantId: string;
    before(async () => {
      const merchant = await createTestMerchant(t);
      merchantId = merchant.id;
      owner = await officeUser(t, merchant, 'owner');
      staff = await officeUser(t, merchant, 'staff');
    });
    // as a browser does: the form's one-time token from the page that shows it
    const change = async (user: OfficeUser, id: string, form: Record<string, string>, status: number) => {
      const page = await user.agent.get('/office/users');
      const once = page.status === 200 ? onceOf(page.text, `/office/users/${id}`) : '';
      const res = await user.agent.post(`/office/users/${id}`).type('form').send({ _csrf: user.csrf, _once: once, ...form });
      assert.equal(res.status, status, res.text.slice(-600));
      return res;
    };

    it('an owner changes a role (the user\'s next request has it), and the change is in the audit log', async () => {
      const id = await userIdOf(staff.email);
      const page = await owner.agent.get('/office/users').expect(200);
      assert.match(page.text, new RegExp(`form[^>]*action="/office/users/${id}"[^>]*data-action="change-role"`));
      await change(owner, id, { role: 'viewer' }, 303);
      await staff.agent.get('/office/links/new').expect(403);
      await change(owner, id, { role: 'staff' }, 303);
      await staff.agent.get('/office/links/new').expect(200);
      await change(staff, id, { role: 'owner' }, 403);
      const audit = await owner.agent.get('/office/audit').expect(200);
      assert.match(audit.text, /user\.role/);
    });

    it('an owner disables a user after a confirmation: its sessions end at once, it cannot sign in, and it can be enabled again', async () => {
      const user = await officeUser(t, { id: merchantId } as never, 'staff');
      const id = await userIdOf(user.email);
      const ask = await change(owner, id, { status: 'disabled' }, 200);
      assert.match(ask.text, /data-confirmed/);
      assert.equal((await user.agent.get('/office/payments')).status, 200, 'nothing happens before the confirmation');
      await change(owner, id, { status: 'disabled', confirmed: '1' }, 303);
      const after = await user.agent.get('/office/payments');
      assert.equal(after.status, 302);
      assert.equal(after.headers.location, '/office/login');
      assert.equal((await signedIn(user.email)).res.status, 401, 'answered as a wrong password');
      await change(owner, id, { status: 'active' }, 303);
      assert.equal((await signedIn(user.email)).res.status, 303);
    });

    it('an owner sends a new set-up link (a password reset): the old password and sessions end, the link sets a new one', async () => {
      const user = await officeUser(t, { id: merchantId } as never, 'viewer');
      const id = await userIdOf(user.email);
      await change(owner, id, { reset_password: '1' }, 200);
      const done = await change(owner, id, { reset_password: '1', confirmed: '1' }, 200);
      const link = /data-setup-url>([^<]+)</.exec(done.text)![1]!;
      rememberSecret(link.split('/').pop());
      assert.equal((await user.agent.get('/office/payments')).status, 302);
      assert.equal((await signedIn(user.email)).res.status, 401);
      const agent = agentOf();
      const path = new URL(link).pathname;
      const page = await agent.get(path).expect(200);
      const fresh = 'a brand new passphrase';
      await agent.post(path).type('form').send({ _csrf: csrfOf(page.text), password: fresh, password_again: fresh, totp: '' }).expect(303);
      assert.equal((await signedIn(user.email, fresh)).res.status, 303);
    });

    it('the last active owner cannot demote or disable itself', async () => {
      const id = await userIdOf(owner.email);
      const demote = await change(owner, id, { role: 'staff' }, 409);
      assert.match(demote.text, /active owner/);
      await change(owner, id, { status: 'disabled', confirmed: '1' }, 409);
      await owner.agent.get('/office/users').expect(200);
    });

    it('every user changes its own password at /office/account; its other sessions end', async () => {
      const user = await officeUser(t, { id: merchantId } as never, 'viewer');
      const other = await signedIn(user.email);
      assert.equal(other.res.status, 303);
      const page = await user.agent.get('/office/account').expect(200);
      assert.match(page.text, /name="new_password"/);
      const post = (form: Record<string, string>) => user.agent.post('/office/account').type('form').send({ _csrf: csrfOf(page.text), ...form });
      assert.equal((await post({ password: 'not my password', new_password: 'another long passphrase' })).status, 422);
      assert.equal((await post({ password: PASSWORD, new_password: 'short' })).status, 422);
      await post({ password: PASSWORD, new_password: 'another long passphrase' }).expect(200);
      await user.agent.get('/office/payments').expect(200);
      assert.equal((await other.agent.get('/office/payments')).status, 302, 'the other session ended');
      assert.equal((await signedIn(user.email)).res.status, 401);
      assert.equal((await signedIn(user.email, 'another long passphrase')).res.status, 303);
    });

    it('the operator changes a role, disables, resets the password and the authenticator with PATCH /admin/v1/users/{id}', async () => {
      const user = await officeUser(t, { id: merchantId } as never, 'staff', { totp: true });
      const id = await userIdOf(user.email);
      await t.admin('patch', `/admin/v1/users/${id}`).send({}).expect(400);
      await t.admin('patch', '/admin/v1/users/usr_nobody').send({ role: 'viewer' }).expect(404);
      const role = await t.admin('patch', `/admin/v1/users/${id}`).send({ role: 'viewer' }).expect(200);
      assert.equal(role.body.role, 'viewer');
      assert.equal(role.body.status, 'active');
      assert.equal(role.body.setup_url, null);
      const off = await t.admin('patch', `/admin/v1/users/${id}`).send({ status: 'disabled' }).expect(200);
      assert.equal(off.body.status, 'disabled');
      assert.equal((await user.agent.get('/office/payments')).status, 302);
      const reset = await t.admin('patch', `/admin/v1/users/${id}`).send({ status: 'active', reset_password: true, reset_totp: true }).expect(200);
      rememberSecret(reset.body.setup_url.split('/').pop());
      assert.equal(reset.body.totp, false);
      const agent = agentOf();
      const path = new URL(reset.body.setup_url).pathname;
      const page = await agent.get(path).expect(200);
      await agent.post(path).type('form').send({ _csrf: csrfOf(page.text), password: 'operator reset pass', password_again: 'operator reset pass', totp: '' }).expect(303);
      const back = await signedIn(user.email, 'operator reset pass');
      assert.equal(back.res.headers.location, '/office', 'no authenticator any more');
      const actions = (await t.database.db.raw(`select action from audit_log where target = ? order by id`, [user.email])).rows.map((r: { action: string }) => r.action);
      assert.deepEqual(actions.filter((a: string) => a !== 'user.create'), ['user.role', 'user.disable', 'user.enable', 'user.reset_password', 'user.reset_totp']);
    });
  });

  it('an e-mail of another merchant\'s user is answered like a new one, and nothing reaches that user', async () => {
    const [a, b, c] = [await createTestMerchant(t), await createTestMerchant(t), await createTestMerchant(t)];
    const ownerA = await officeUser(t, a, 'owner');
    const ownerB = await officeUser(t, b, 'owner');
    const invite = async (email: string, role: string) => {
      const page = await ownerB.agent.get('/office/users').expect(200);
      return ownerB.agent.post('/office/users').type('form').send({ _csrf: ownerB.csrf, _once: onceOf(page.text, '/office/users'), email, role });
    };
    const fresh = await invite('brand-new@shop.example', 'staff');
    const taken = await invite(ownerA.email, 'staff');
    assert.equal(taken.status, fresh.status);
    assert.equal(taken.status, 201);
    assert.match(taken.text, /data-setup-url/);
    const adminAnswer = await t.admin('post', `/admin/v1/merchants/${c.id}/users`).send({ email: ownerA.email, role: 'viewer' });
    assert.equal(adminAnswer.status, 201);
    assert.deepEqual(Object.keys(adminAnswer.body).sort(), ['email', 'id', 'object', 'role', 'setup_expires_at', 'setup_url']);
    const link = /data-setup-url>([^<]+)</.exec(taken.text)![1]!;
    rememberSecret(link.split('/').pop());
    rememberSecret(adminAnswer.body.setup_url.split('/').pop());
    await supertest(t.app.koa.callback()).get(new URL(link).pathname).expect(410);
    const again = await invite(ownerA.email, 'viewer');
    assert.equal(again.status, 409, 'a second time in the same merchant, as for any of its users');
    const listed = await ownerB.agent.get('/office/users').expect(200);
    assert.ok(listed.text.includes(`data-user-email="${ownerA.email}"`), 'listed like any invited user');
    assert.equal((await signedIn(ownerA.email)).res.status, 303, 'A\'s user signs in as before');
    const rows = (await t.database.db.raw('select merchant_id from users where email = ? and password_hash is not null', [ownerA.email])).rows;
    assert.deepEqual(rows, [{ merchant_id: a.id }]);
  });
});

describe('back-office sign-in from one address (HTTP)', () => {
  const t = useTestApp({ config: { limits: { signInFailuresPerClient: 5 } } });

  it('a burst of wrong passwords for many e-mails from one address gets at most the limit checked; right ones do not count', async () => {
    const merchant = await createTestMerchant(t);
    const owner = await officeUser(t, merchant, 'owner');
    const agent = supertest.agent(t.app.koa.callback());
    const csrf = csrfOf((await agent.get('/office/login').expect(200)).text);
    const post = (email: string, password: string) => agent.post('/office/login').type('form').send({ _csrf: csrf, email, password });
    for (let i = 0; i < 6; i++) assert.equal((await post(owner.email, PASSWORD)).status, 303, 'a right sign-in is given back');
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => post(`nobody-${i}@nowhere.example`, 'wrong password!!')));
    const checked = answers.filter((a) => a.status === 401).length;
    assert.ok(checked <= 5, `${checked} wrong passwords were checked`);
    assert.ok(answers.some((a) => a.status === 429 && /from this address/.test(a.text)));
    assert.equal((await post(owner.email, PASSWORD)).status, 429, 'the address is held back');
  });
});
