import assert from 'node:assert/strict';
import supertest from 'supertest';
import { useTestApp } from '../helpers/test-app.js';
import { createTestMerchant, createBuyer, api } from '../helpers/merchant.js';
import { assertLedgerClean, payNow, type PaymentBody } from '../helpers/payments.js';
import { officeUser, csrfOf, onceOf, PASSWORD, type OfficeUser } from '../helpers/office.js';
import { clickConfirmation, confirmationPath } from '../helpers/alert-links.js';
import { totpCode } from '../../lib/domain/totp.js';

/** docs/merchant-guide.md#back-office through HTTP: users, sign-in, roles, CSRF, the journal and its CSV, actions and the audit log. */
describe('back office (HTTP)', () => {
  const t = useTestApp({ config: { codes: { maxCodesPerPhonePerHour: 100 } } });

  // the one-time token of the form posting to `action`, on a fresh rendering of `page` (docs/merchant-guide.md#back-office "Acting once")
  const tokenFor = async (user: OfficeUser, page: string, action = page) => onceOf((await user.agent.get(page).expect(200)).text, action);

  it('the operator creates a user whose one-time link sets a password and signs in; the link works once', async () => {
    const merchant = await createTestMerchant(t);
    const bad = await t.admin('post', `/admin/v1/merchants/${merchant.id}/users`).send({ email: 'nope', role: 'owner' }).expect(400);
    assert.equal(bad.body.errors[0].field, 'email');
    const owner = await officeUser(t, merchant, 'owner');
    const page = await owner.agent.get('/office').expect(200);
    assert.match(page.text, /<h1>Overview<\/h1>/, 'the office opens on the overview');
    const again = await supertest(t.app.koa.callback()).get(owner.setupPath).expect(410);
    assert.match(again.text, /has been used or has expired/);
    const dup = await t.admin('post', `/admin/v1/merchants/${merchant.id}/users`).send({ email: owner.email, role: 'staff' }).expect(409);
    assert.equal(dup.body.code, 'user_exists');
  });

  it('signs in with password then TOTP, and five wrong passwords lock the e-mail for 15 minutes without saying whether it exists', async () => {
    const merchant = await createTestMerchant(t);
    const owner = await officeUser(t, merchant, 'owner', { totp: true });
    const agent = supertest.agent(t.app.koa.callback());
    const login = async (email: string, password: string) => {
      const page = await agent.get('/office/login').expect(200);
      return agent.post('/office/login').type('form').send({ _csrf: csrfOf(page.text), email, password });
    };
    const ok = await login(owner.email, PASSWORD);
    assert.equal(ok.status, 303);
    const cookie = String(ok.headers['set-cookie']).split(',').find((c) => c.includes('tp_office='))!;
    assert.ok(cookie.includes('path=/office') && cookie.includes('httponly') && /samesite=lax/i.test(cookie) && !cookie.includes('secure'), cookie);
    const behindTls = await supertest(t.app.koa.callback()).get('/office/login').set('X-Forwarded-Proto', 'https');
    assert.ok(!String(behindTls.headers['set-cookie']).includes('secure'), 'without TRUST_PROXY a forwarded protocol is not believed');
    assert.equal(ok.headers.location, '/office/totp');
    (await agent.get('/office/payments').expect(302)).headers.location === '/office/totp';
    const totpPage = await agent.get('/office/totp').expect(200);
    t.clock.advance(30_000); // the code that enrolled the authenticator is spent: the next step's signs in
    await agent.post('/office/totp').type('form').send({ _csrf: csrfOf(totpPage.text), totp: await totpCode(owner.totpSecret!, t.clock.now()) }).expect(303);
    await agent.get('/office/payments').expect(200);

    for (let i = 0; i < 4; i++) assert.equal((await login(owner.email, 'wrong password!!')).status, 401);
    assert.equal((await login(owner.email, 'wrong password!!')).status, 429, 'the fifth failure locks');
    const locked = await login(owner.email, PASSWORD);
    assert.equal(locked.status, 429);
    assert.match(locked.text, /locked until/);
    for (let i = 0; i < 5; i++) await login('nobody@nowhere.example', 'wrong password!!');
    const unknown = await login('nobody@nowhere.example', 'whatever password');
    assert.equal(unknown.status, 429, 'an unknown e-mail is locked the same way');
    t.clock.advance(16 * 60_000);
    assert.equal((await login(owner.email, PASSWORD)).status, 303);
  });

  it('a viewer sees no action and is refused with 403 on POST; a user of merchant A gets 404 for merchant B; a POST without the CSRF token is 403', async () => {
    const a = await createTestMerchant(t);
    const b = await createTestMerchant(t);
    const viewer = await officeUser(t, a, 'viewer');
    const { payment } = await payNow(t, a, '5.00');
    const { payment: other } = await payNow(t, b, '5.00');
    const page = await viewer.agent.get(`/office/payments/${payment.id}`).expect(200);
    assert.ok(!page.text.includes('data-action="refund"'));
    assert.ok(!page.text.includes('/office/links/new'));
    await viewer.agent.post(`/office/payments/${payment.id}/refund`).type('form').send({ _csrf: viewer.csrf, confirmed: '1' }).expect(403);
    await viewer.agent.get(`/office/payments/${other.id}`).expect(404);
    const staff = await officeUser(t, a, 'staff');
    await staff.agent.post(`/office/payments/${payment.id}/refund`).type('form').send({ confirmed: '1' }).expect(403);
    await staff.agent.get('/office/users').expect(403);
    assert.equal((await api(t, a).get(`/payments/${payment.id}`)).body.amount_refunded, '0.00');
  });

  it('refunds from the payment page after a confirmation page, visible in the API and the audit log', async () => {
    const merchant = await createTestMerchant(t);
    const owner = await officeUser(t, merchant, 'owner');
    const { payment } = await payNow(t, merchant, '10.00');
    const refundAt = `/office/payments/${payment.id}/refund`;
    const confirm = await owner.agent.post(refundAt).type('form').send({ _csrf: owner.csrf, _once: await tokenFor(owner, `/office/payments/${payment.id}`, refundAt), amount: '1.00' }).expect(200);
    assert.match(confirm.text, /Refund 1\.00/);
    assert.equal((await api(t, merchant).get(`/payments/${payment.id}`)).body.amount_refunded, '0.00', 'nothing before the confirmation');
    await owner.agent.post(refundAt).type('form').send({ _csrf: csrfOf(confirm.text), _once: onceOf(confirm.text, refundAt), amount: '1.00', confirmed: '1' }).expect(303);
    assert.equal((await api(t, merchant).get(`/payments/${payment.id}`)).body.amount_refunded, '1.00');
    const tooMuch = await owner.agent.post(refundAt).type('form').send({ _csrf: owner.csrf, _once: await tokenFor(owner, `/office/payments/${payment.id}`, refundAt), amount: '50.00', confirmed: '1' }).expect(409);
    assert.match(tooMuch.text, /role="alert"/);
    const badAmount = await owner.agent.post(refundAt).type('form').send({ _csrf: owner.csrf, _once: await tokenFor(owner, `/office/payments/${payment.id}`, refundAt), amount: '1,5', confirmed: '1' }).expect(400);
    assert.match(badAmount.text, /amount/);
    const audit = await owner.agent.get('/office/audit').expect(200);
    assert.match(audit.text, new RegExp(`data-audit-action="payment.refund"[^]*?${payment.id}`));
    assert.match(audit.text, /data-audit-action="sign_in"|data-audit-action="user.setup"/);
  });

  it('searches by payment id, order number and phone, filters by status, pages, and the CSV holds every match like the API', async () => {
    const merchant = await createTestMerchant(t);
    const owner = await officeUser(t, merchant, 'owner');
    const paid: PaymentBody[] = [];
    for (let i = 0; i < 3; i++) paid.push((await payNow(t, merchant, `${i + 1}.00`, { payment_no: 7000 + i })).payment);
    const byOrder = await owner.agent.get('/office/payments?q=7001').expect(200);
    assert.equal((byOrder.text.match(/<tr data-payment-id=/g) ?? []).length, 1);
    assert.ok(byOrder.text.includes(paid[1]!.id));
    const byId = await owner.agent.get(`/office/payments?q=${paid[2]!.id}`).expect(200);
    assert.ok(byId.text.includes(`data-payment-id="${paid[2]!.id}"`));
    const byPhone = await owner.agent.get(`/office/payments?q=${encodeURIComponent(paid[0]!.phone)}`).expect(200);
    assert.ok(byPhone.text.includes(paid[0]!.id));
    const page1 = await owner.agent.get('/office/payments?limit=2&status=succeeded').expect(200);
    assert.equal((page1.text.match(/<tr data-payment-id=/g) ?? []).length, 2);
    const next = /rel="next" href="([^"]+)"/.exec(page1.text)![1]!.replace(/&amp;/g, '&');
    const page2 = await owner.agent.get(next).expect(200);
    assert.equal((page2.text.match(/<tr data-payment-id=/g) ?? []).length, 1);
    const badFilter = await owner.agent.get('/office/payments?status=lost').expect(400);
    assert.match(badFilter.text, /status/);

    const csv = await owner.agent.get('/office/payments.csv?status=succeeded').expect(200).expect('Content-Type', /text\/csv/);
    const lines = csv.text.trim().split('\r\n');
    assert.equal(lines[0], 'id,created_at,shop_id,status,amount,fee,net,amount_refunded,currency,phone,payment_no,invoice_no,transaction_no,paid_at,failure_reason,description');
    const fromApi = (await api(t, merchant).get('/payments?status=succeeded&limit=100')).body.data;
    assert.deepEqual(lines.slice(1).map((l) => l.split(',')[0]), fromApi.map((p: { id: string }) => p.id));
    const first = lines[1]!.split(',');
    const apiFirst = fromApi[0];
    assert.deepEqual([first[4], first[5], first[6], first[7], first[9], first[10]], [apiFirst.amount, apiFirst.fee, apiFirst.net, apiFirst.amount_refunded, apiFirst.phone, String(apiFirst.payment_no)]);
  });

  it('captures part of an authorized payment, sends a pay link, creates and revokes a key, and writes it all to the audit log', async () => {
    const merchant = await createTestMerchant(t, { capture: 'manual' });
    const owner = await officeUser(t, merchant, 'owner');
    const { payment } = await payNow(t, merchant, '10.00');
    const captureAt = `/office/payments/${payment.id}/capture`;
    await owner.agent.post(captureAt).type('form').send({ _csrf: owner.csrf, _once: await tokenFor(owner, `/office/payments/${payment.id}`, captureAt), amount: '6.00', confirmed: '1' }).expect(303);
    const captured = (await api(t, merchant).get(`/payments/${payment.id}`)).body;
    assert.deepEqual([captured.status, captured.amount_captured ?? captured.amount], ['succeeded', captured.amount_captured ?? '6.00']);

    const shopId = (await t.admin('get', `/admin/v1/merchants/${merchant.id}`)).body.shop_id;
    const buyer = await createBuyer(t, '20.00');
    const sent = await owner.agent.post('/office/links/new').type('form').send({ _csrf: owner.csrf, _once: await tokenFor(owner, '/office/links/new'), shop_id: shopId, amount: '4.20', description: 'Invoice 12', phone: `+${buyer.phone}` }).expect(200);
    assert.match(sent.text, /The pay link was sent/);
    const sms = t.app.sms.devInbox.inbox(`+${buyer.phone}`)[0];
    assert.match(sms!.text, /\/l\//);
    const badPhone = await owner.agent.post('/office/links/new').type('form').send({ _csrf: owner.csrf, _once: await tokenFor(owner, '/office/links/new'), shop_id: shopId, amount: '4.20', phone: '12' }).expect(400);
    assert.match(badPhone.text, /phone/);

    const keys = await owner.agent.post('/office/keys').type('form').send({ _csrf: owner.csrf, _once: await tokenFor(owner, '/office/shops', '/office/keys'), name: 'office key' }).expect(200);
    const key = /data-shown-once>([^<]+)</.exec(keys.text)![1]!;
    await api(t, { ...merchant, apiKey: key }).get('/payments').expect(200);
    const keyId = /data-key-id="(key_[0-9a-z]+)"[^]*?office key/.exec(keys.text)?.[1] ?? /data-key-id="(key_[0-9a-z]+)"/g.exec(keys.text)![1]!;
    await owner.agent.post(`/office/keys/${keyId}/revoke`).type('form').send({ _csrf: owner.csrf, _once: await tokenFor(owner, '/office/shops', `/office/keys/${keyId}/revoke`), confirmed: '1' }).expect(303);
    const audit = (await owner.agent.get('/office/audit').expect(200)).text;
    for (const action of ['payment.capture', 'payment.link_sent', 'api_key.create', 'api_key.revoke']) assert.ok(audit.includes(`data-audit-action="${action}"`), action);
  });

  it('writes each action\'s audit entry in the transaction of the change (the same xmin), and without its entry the change does not happen', async () => {
    const merchant = await createTestMerchant(t, { capture: 'manual' });
    const owner = await officeUser(t, merchant, 'owner');
    const db = t.database.db;
    // the transaction that last wrote the row the condition finds (one `?`)
    const xmin = async (table: string, condition: string, value: string) =>
      (await db.raw(`select xmin::text as x from ${table} where ${condition}`, [value])).rows[0]?.x as string | undefined;
    const auditXmin = async (action: string, target: string) =>
      (await db.raw('select xmin::text as x from audit_log where action = ? and target = ? order by id desc limit 1', [action, target])).rows[0]?.x as string | undefined;
    const act = async (path: string, fields: Record<string, string> = {}) =>
      owner.agent.post(path).type('form').send({ _csrf: owner.csrf, _once: await tokenFor(owner, path.replace(/\/(capture|refund|void)$/, ''), path), confirmed: '1', ...fields });

    const captured = (await payNow(t, merchant, '10.00')).payment;
    assert.equal((await act(`/office/payments/${captured.id}/capture`, { amount: '6.00' })).status, 303);
    assert.equal(await auditXmin('payment.capture', captured.id), await xmin('transfers', 'key = ?', `payment:${captured.id}`), 'capture: its transfer');
    assert.equal((await act(`/office/payments/${captured.id}/refund`, { amount: '1.00' })).status, 303);
    const refundId = (await db.raw('select id from refunds where payment_id = ?', [captured.id])).rows[0].id as string;
    assert.equal(await auditXmin('payment.refund', captured.id), await xmin('refunds', 'id = ?', refundId), 'refund: its refund row');
    const voided = (await payNow(t, merchant, '3.00')).payment;
    assert.equal((await act(`/office/payments/${voided.id}/void`)).status, 303);
    assert.equal(await auditXmin('payment.void', voided.id), await xmin('holds', 'id = (select hold_id from payments where id = ?)', voided.id), 'void: the released hold');
    const shopId = (await t.admin('get', `/admin/v1/merchants/${merchant.id}`)).body.shop_id as string;
    const form = new URLSearchParams([['_csrf', owner.csrf], ['_once', await tokenFor(owner, `/office/shops/${shopId}`)], ['name', 'Renamed shop'], ['status', 'active'], ['methods', 'code'], ['methods', 'manual_capture']]);
    const saved = await owner.agent.post(`/office/shops/${shopId}`).type('form').send(form.toString()).expect(303);
    assert.equal(saved.headers.location, `/office/shops/${shopId}?saved=1`, 'a saved setting is shown by a redirect, not at the POST URL');
    assert.equal(await auditXmin('shop.update', shopId), await xmin('shops', 'id = ?', shopId), 'shop update: the shop row');

    // the entry cannot be written (as if the process died before it): the refund is not made either
    await db.raw(`create function refuse_refund_audit() returns trigger language plpgsql as $$
      begin if new.action = 'payment.refund' then raise exception 'audit unavailable'; end if; return new; end $$`);
    await db.raw('create trigger refuse_refund_audit before insert on audit_log for each row execute function refuse_refund_audit()');
    try {
      const res = await act(`/office/payments/${captured.id}/refund`, { amount: '1.00' });
      assert.notEqual(res.status, 303, 'the refund is not reported done');
    } finally {
      await db.raw('drop trigger refuse_refund_audit on audit_log; drop function refuse_refund_audit()');
    }
    assert.equal((await api(t, merchant).get(`/payments/${captured.id}`)).body.amount_refunded, '1.00', 'only the first refund');
    assert.equal((await db.raw('select count(*)::int as n from refunds where payment_id = ?', [captured.id])).rows[0].n, 1);
    await assertLedgerClean(t);
  });

  it('an owner can require TOTP: a user without one must enrol before anything else', async () => {
    const merchant = await createTestMerchant(t);
    const owner = await officeUser(t, merchant, 'owner');
    await owner.agent.post('/office/users/require-totp').type('form').send({ _csrf: owner.csrf, _once: await tokenFor(owner, '/office/users', '/office/users/require-totp'), require_totp: 'on' }).expect(303);
    const page = await owner.agent.get('/office/payments');
    assert.equal(page.status, 302);
    assert.equal(page.headers.location, '/office/totp/enrol');
    const enrol = await owner.agent.get('/office/totp/enrol').expect(200);
    const secret = /name="totp_secret" value="([A-Z2-7]+)"/.exec(enrol.text)![1]!;
    await owner.agent.post('/office/totp/enrol').type('form').send({ _csrf: csrfOf(enrol.text), totp_secret: secret, totp: '000000' }).expect(422);
    await owner.agent.post('/office/totp/enrol').type('form').send({ _csrf: csrfOf(enrol.text), totp_secret: secret, totp: await totpCode(secret, t.clock.now()) }).expect(303);
    await owner.agent.get('/office/payments').expect(200);
  });

  it('an owner sets the shop\'s alerts on its page (a bad address is named and nothing changes); a sale then mails them', async () => {
    const merchant = await createTestMerchant(t);
    const owner = await officeUser(t, merchant, 'owner');
    const shopId = (await t.admin('get', `/admin/v1/merchants/${merchant.id}`)).body.shop_id;
    const page = await owner.agent.get(`/office/shops/${shopId}`).expect(200);
    assert.match(page.text, /data-action="alerts"/);
    const bad = await owner.agent.post(`/office/shops/${shopId}/alerts`).type('form')
      .send(`_csrf=${owner.csrf}&_once=${await tokenFor(owner, `/office/shops/${shopId}`, `/office/shops/${shopId}/alerts`)}&emails=${encodeURIComponent('ok@shop.example\nnot an address')}&phones=&events=payment.succeeded`).expect(400);
    assert.match(bad.text, /The field &quot;emails\.1&quot; is not an e-mail address/);
    assert.deepEqual((await api(t, merchant).get(`/shops/${shopId}`)).body.alerts.emails, []);
    await owner.agent.post(`/office/shops/${shopId}/alerts`).type('form')
      .send(`_csrf=${owner.csrf}&_once=${await tokenFor(owner, `/office/shops/${shopId}`, `/office/shops/${shopId}/alerts`)}&emails=${encodeURIComponent('Office@Shop.example\r\n')}&phones=${encodeURIComponent('+49 151 23456700')}&events=payment.succeeded&events=refund.succeeded`).expect(303).expect('Location', `/office/shops/${shopId}?saved=1`);
    assert.match((await owner.agent.get(`/office/shops/${shopId}?saved=1`).expect(200)).text, /class="flash"/);
    assert.deepEqual((await api(t, merchant).get(`/shops/${shopId}`)).body.alerts, {
      emails: ['office@shop.example'], phones: ['+4915123456700'], events: ['payment.succeeded', 'refund.succeeded'],
      recipients: [{ to: 'office@shop.example', kind: 'email', state: 'pending' }, { to: '+4915123456700', kind: 'phone', state: 'pending' }],
    });
    // docs/merchant-guide.md#alerts: each recipient confirms first; the shop's page shows who has not yet
    assert.match((await owner.agent.get(`/office/shops/${shopId}`).expect(200)).text, /<li>office@shop\.example: pending: link sent, not clicked yet<\/li>/);
    const invitation = t.app.mailer.inbox().find((m) => m.to === 'office@shop.example')!;
    await clickConfirmation(t, confirmationPath(invitation.text));
    assert.match((await owner.agent.get(`/office/shops/${shopId}`).expect(200)).text, /<li>office@shop\.example: confirmed<\/li>/);
    const viewer = await officeUser(t, merchant, 'viewer');
    await viewer.agent.post(`/office/shops/${shopId}/alerts`).type('form').send({ _csrf: viewer.csrf, emails: 'x@shop.example' }).expect(403);
    await payNow(t, merchant, '2.00');
    await t.app.notifier.idle();
    assert.ok(t.app.mailer.inbox().some((m) => m.to === 'office@shop.example' && m.subject === 'Paid: 2.00 USD at Test Shop'));
  });

  it('ends a session idle for 30 minutes, and signs out', async () => {
    const merchant = await createTestMerchant(t);
    const owner = await officeUser(t, merchant, 'owner');
    t.clock.advance(29 * 60_000);
    await owner.agent.get('/office/payments').expect(200);
    t.clock.advance(31 * 60_000);
    const after = await owner.agent.get('/office/payments');
    assert.equal(after.status, 302);
    assert.equal(after.headers.location, '/office/login');
    const other = await officeUser(t, merchant, 'staff');
    await other.agent.post('/office/logout').type('form').send({ _csrf: other.csrf }).expect(303);
    assert.equal((await other.agent.get('/office/payments')).status, 302);
  });
});
