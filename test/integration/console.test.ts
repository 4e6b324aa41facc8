import assert from 'node:assert/strict';
import { useTestApp } from '../helpers/test-app.js';
import { api, createTestMerchant } from '../helpers/merchant.js';
import { assertLedgerClean, payNow } from '../helpers/payments.js';
import { consoleUser, type ConsoleUser } from '../helpers/console.js';
import { onceOf, officeUser } from '../helpers/office.js';
import { formToken } from '../../lib/http/shared/action-tokens.js';

/** docs/operator-guide.md#operator-console: roles, the overview, payments across merchants, merchants, acting once, the audit. */
describe('operator console', () => {
  const t = useTestApp({ config: { codes: { maxCodesPerPhonePerHour: 100 }, limits: { signInFailuresPerClient: 100 } } });
  const count = async (sql: string, ...args: string[]) => Number((await t.database.db.raw(sql, args)).rows[0].n);
  const post = (user: ConsoleUser, path: string, fields: Record<string, string>) => user.agent.post(path).type('form').send({ _csrf: user.csrf, ...fields });
  const tokenOf = async (user: ConsoleUser, page: string, action: string) => onceOf((await user.agent.get(page).expect(200)).text, action);

  it('an admin must have an authenticator, reads the overview, and finds a payment by phone across two merchants', async () => {
    const admin = await consoleUser(t, 'admin');
    const [a, b] = [await createTestMerchant(t), await createTestMerchant(t)];
    const { payment, buyer } = await payNow(t, a, '12.00');
    await payNow(t, b, '3.00', {}, { buyer });
    const overview = await admin.agent.get('/console').expect(200);
    for (const metric of ['payments-today', 'volume', 'sms', 'dead-notifications', 'pending-payouts', 'ledger-check']) assert.match(overview.text, new RegExp(`data-metric="${metric}"`));
    assert.match(overview.text, /<svg class="chart"[^>]*role="img"/);
    assert.match(overview.text, /data-metric="payments-today" data-value="[1-9]/);
    const found = await admin.agent.get(`/console/payments?q=${encodeURIComponent(`+${buyer.phone}`)}`).expect(200);
    const rows = [...found.text.matchAll(/<tr data-payment-id="(pay_[^"]+)" data-status="([a-z_]+)"/g)];
    assert.equal(rows.length, 2, "both merchants' payments of the phone");
    assert.ok(rows.some((r) => r[1] === payment.id));
    assert.match((await admin.agent.get(`/console/payments/${payment.id}`).expect(200)).text, /data-action="refund"/);
    // set up without an authenticator is refused for admin and finance
    const made = await t.admin('post', '/admin/v1/operators').send({ email: 'no-totp@ops.example', role: 'finance' }).expect(201);
    const path = new URL(made.body.setup_url).pathname;
    const page = await t.http.get(path).expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
    await t.http.post(path).type('form').send({ _csrf: csrf, password: 'correct horse battery staple', password_again: 'correct horse battery staple', totp_secret: '', totp: '' }).expect(422);
  });

  it('signs in with password then TOTP; a console cookie opens no office page; a reset authenticator must be enrolled again first', async () => {
    const finance = await consoleUser(t, 'finance');
    const fresh = (await import('supertest')).default.agent(t.app.koa.callback());
    const login = await fresh.get('/console/login').expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(login.text)![1]!;
    await fresh.post('/console/login').type('form').send({ _csrf: csrf, email: finance.email, password: 'wrong password here' }).expect(401);
    await fresh.post('/console/login').type('form').send({ _csrf: csrf, email: finance.email, password: 'correct horse battery staple' }).expect(303).expect('Location', '/console/totp');
    await fresh.get('/console/payments').expect(302).expect('Location', '/console/totp');
    const totpPage = await fresh.get('/console/totp').expect(200);
    const sessionCsrf = /name="_csrf" value="([^"]+)"/.exec(totpPage.text)![1]!;
    await fresh.post('/console/totp').type('form').send({ _csrf: sessionCsrf, totp: '000000' }).expect(401);
    t.clock.advance(31_000);
    const { totpCode } = await import('../../lib/domain/totp.js');
    await fresh.post('/console/totp').type('form').send({ _csrf: sessionCsrf, totp: await totpCode(finance.totpSecret!, t.clock.now()) }).expect(303).expect('Location', '/console');
    await fresh.get('/console/payments').expect(200);
    await fresh.get('/office/payments').set('Cookie', finance.cookie.replace('tp_console', 'tp_office')).expect(302).expect('Location', '/office/login');
    await t.admin('patch', `/admin/v1/operators/${finance.id}`).send({ reset_totp: true }).expect(200);
    await finance.agent.get('/console/payments').expect(302).expect('Location', '/console/totp/enrol');
  });

  it('five wrong passwords lock the e-mail for the console only, as in the office; 30 idle minutes end a session', async () => {
    const support = await consoleUser(t, 'support', { email: 'shared-name@ops.example' });
    const fresh = (await import('supertest')).default.agent(t.app.koa.callback());
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await fresh.get('/console/login').expect(200)).text)![1]!;
    const tryWith = (password: string) => fresh.post('/console/login').type('form').send({ _csrf: csrf, email: support.email, password });
    for (let i = 0; i < 4; i += 1) await tryWith('not the password at all').expect(401);
    await tryWith('not the password at all').expect(429);
    const locked = await tryWith('correct horse battery staple').expect(429);
    assert.match(locked.text, /locked until/);
    assert.equal(await count("select count(*) as n from sign_in_tries where key = 'console:shared-name@ops.example'"), 1);
    assert.equal(await count("select count(*) as n from sign_in_tries where key = 'shared-name@ops.example'"), 0, 'the office\'s lock of the same e-mail is another');
    await support.agent.get('/console/audit').expect(200);
    t.clock.advance(31 * 60_000);
    await support.agent.get('/console/audit').expect(302).expect('Location', '/console/login');
  });

  it('a support user sees no refund form and posting it is 403; a cashier reaches only the wallet desk', async () => {
    const merchant = await createTestMerchant(t);
    const { payment } = await payNow(t, merchant, '5.00');
    const support = await consoleUser(t, 'support');
    const page = await support.agent.get(`/console/payments/${payment.id}`).expect(200);
    assert.doesNotMatch(page.text, /data-action="refund"/);
    const action = `/console/payments/${payment.id}/refund`;
    // a valid one-time token of the session: the refusal is the role's, not the token's
    const once = formToken(support.csrf, action, t.clock.now());
    const refused = await post(support, action, { _once: once, amount: '1.00', confirmed: '1' }).expect(403);
    assert.match(refused.text, /Your role may not do this/);
    assert.equal(await count('select count(*) as n from refunds where payment_id = ?', payment.id), 0);
    assert.doesNotMatch((await support.agent.get(`/console/merchants/${merchant.id}`).expect(200)).text, /data-action="(suspend|fee|invite)"/);
    // bad input is a readable page, never a 500
    for (const [path, status] of [['/console/payments?cursor=nonsense', 400], ['/console/payments?limit=9999', 400], ['/console/payments/pay_nope', 404], ['/console/merchants/mch_nope', 404], ['/console/audit?before=x&action=%25', 200]] as const) {
      const res = await support.agent.get(path).expect(status);
      assert.match(String(res.headers['content-type']), /text\/html/, path);
    }
    const cashier = await consoleUser(t, 'cashier');
    await cashier.agent.get('/console').expect(302).expect('Location', '/console/wallets');
    await cashier.agent.get('/console/payments').expect(403);
    await cashier.agent.get('/console/audit').expect(403);
  });

  it('finance refunds a suspended merchant\'s payment; every action posted twice at once acts once; the audit names each operator', async () => {
    const merchant = await createTestMerchant(t);
    const { payment } = await payNow(t, merchant, '10.00');
    const admin = await consoleUser(t, 'admin');
    const finance = await consoleUser(t, 'finance');
    const twice = async (user: ConsoleUser, action: string, fields: Record<string, string>, page: string) => {
      const once = await tokenOf(user, page, action);
      const both = await Promise.all([post(user, action, { _once: once, confirmed: '1', ...fields }), post(user, action, { _once: once, confirmed: '1', ...fields })]);
      return both.map((r) => [r.status, r.headers.location]);
    };
    const merchantPage = `/console/merchants/${merchant.id}`;

    // the confirmation answers a POST: its language links open the merchant's page by GET, in that language
    const asked = await post(admin, `${merchantPage}/suspend`, { _once: await tokenOf(admin, merchantPage, `${merchantPage}/suspend`) }).expect(200);
    const languages = [...asked.text.matchAll(/<a href="([^"]+)" lang="[a-z]{2}" hreflang/g)].map((m) => m[1]!);
    assert.deepEqual(languages, ['en', 'ru', 'de', 'vi', 'ar'].map((code) => `${merchantPage}?lang=${code}`));
    assert.match((await admin.agent.get(languages[2]!).expect(200)).text, /<html lang="de"/);
    await admin.agent.get(`${merchantPage}?lang=en`).expect(200);

    const suspended = await twice(admin, `${merchantPage}/suspend`, {}, merchantPage);
    assert.deepEqual(suspended[0], suspended[1]);
    assert.equal(suspended[0]![0], 303);
    assert.match((await admin.agent.get('/console/merchants').expect(200)).text, new RegExp(`data-merchant-id="${merchant.id}" data-status="suspended"`));
    await api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount: '1.00', phone: '+79031110000' }).expect(403);

    const refundPath = `/console/payments/${payment.id}/refund`;
    const confirm = await post(finance, refundPath, { _once: await tokenOf(finance, `/console/payments/${payment.id}`, refundPath), amount: '4.00' }).expect(200);
    assert.match(confirm.text, /name="confirmed" value="1"/);
    const refunded = await twice(finance, refundPath, { amount: '4.00' }, `/console/payments/${payment.id}`);
    assert.deepEqual(refunded.map((r) => r[0]), [303, 303]);
    assert.equal(refunded[0]![1], refunded[1]![1]);
    assert.equal(await count('select count(*) as n from refunds where payment_id = ?', payment.id), 1);

    const shopId = (await t.admin('get', `/admin/v1/merchants/${merchant.id}`).expect(200)).body.shop_id ?? (await t.database.db.raw('select id from shops where merchant_id = ?', [merchant.id])).rows[0].id;
    const feePath = `${merchantPage}/shops/${shopId}/fee`;
    await twice(finance, feePath, { percent: '2.50', fixed: '0.10', refund: 'return' }, merchantPage);
    assert.equal((await t.admin('get', `/admin/v1/shops/${shopId}`).expect(200)).body.fee.percent, '2.50');
    assert.equal(await count("select count(*) as n from audit_log where audience = 'console' and action = 'shop.fee' and target = ?", shopId), 1);

    const invited = await twice(admin, `${merchantPage}/users`, { email: 'new-owner@shop.example', role: 'owner' }, merchantPage);
    assert.deepEqual(invited.map((r) => r[0]).sort(), [201, 303], 'one shows the set-up link once, its twin lands on the merchant');
    assert.equal(await count("select count(*) as n from users where merchant_id = ? and email = 'new-owner@shop.example'", merchant.id), 1);

    const nid = (await t.database.db.raw("select id from notifications where payment_id = ? and kind = 'result' order by created_at limit 1", [payment.id])).rows[0].id as string;
    const redelivered = await twice(admin, `/console/payments/${payment.id}/notifications/${nid}/redeliver`, {}, `/console/payments/${payment.id}`);
    assert.deepEqual(redelivered.map((r) => r[0]), [303, 303]);
    assert.equal(await count('select redeliveries as n from notifications where id = ?', nid), 1);
    assert.equal(await count("select count(*) as n from audit_log where audience = 'console' and action = 'notification.redeliver' and target = ?", nid), 1);

    await twice(admin, `${merchantPage}/activate`, {}, merchantPage);
    assert.equal((await t.admin('get', `/admin/v1/merchants/${merchant.id}`).expect(200)).body.status, 'active');
    assert.equal((await api(t, merchant).get(`/payments/${payment.id}`)).body.amount_refunded, '4.00');

    const audit = (await admin.agent.get(`/console/audit?target=${merchant.id}`).expect(200)).text;
    assert.equal([...audit.matchAll(/data-audit-action="merchant\.suspend" data-audit-email="([^"]+)"/g)].map((m) => m[1]).join(), admin.email);
    assert.equal([...audit.matchAll(/data-audit-action="merchant\.activate"/g)].length, 1);
    const all = (await admin.agent.get('/console/audit').expect(200)).text;
    for (const [action, who] of [['payment.refund', finance.email], ['shop.fee', finance.email], ['user.invite', admin.email], ['user.setup', admin.email]] as const) {
      assert.equal([...all.matchAll(new RegExp(`data-audit-action="${action.replace('.', '\\.')}" data-audit-email="${who}"`, 'g'))].length >= 1, true, `${action} by ${who}`);
    }
    assert.equal(await count("select count(*) as n from audit_log where audience = 'console' and action = 'payment.refund' and target = ?", payment.id), 1);

    // the merchant sees the refund in the office
    const owner = await officeUser(t, merchant, 'viewer');
    assert.match((await owner.agent.get(`/office/payments/${payment.id}`).expect(200)).text, /data-refund-id="rfd_/);
    await assertLedgerClean(t);
    assert.match((await admin.agent.get('/console').expect(200)).text, /data-metric="ledger-check" data-ok="true"/);
  });

  it('finance changes a merchant\'s payout settings (the admin API\'s rules, audited); support does not see the form and posting it is 403', async () => {
    const merchant = await createTestMerchant(t);
    const finance = await consoleUser(t, 'finance');
    const page = `/console/merchants/${merchant.id}`;
    const action = `${page}/payouts`;
    const bad = await post(finance, action, { _once: await tokenOf(finance, page, action), payout_schedule: 'daily', payout_minimum: '5.00', payout_delay_days: '45', payout_account: '' });
    assert.equal(bad.status, 400);
    assert.match(bad.text, /The field &quot;payout_delay_days&quot; is 0 to 30/);
    const done = await post(finance, action, { _once: await tokenOf(finance, page, action), payout_schedule: 'daily', payout_minimum: '5.00', payout_delay_days: '2', payout_account: 'IBAN DE89 3704 0044 0532 0130 00' });
    assert.equal(done.status, 303);
    const shown = (await t.admin('get', `/admin/v1/merchants/${merchant.id}`).expect(200)).body;
    assert.deepEqual([shown.payout_schedule, shown.payout_minimum, shown.payout_delay_days, shown.payout_account], ['daily', '5.00', 2, 'IBAN DE89 3704 0044 0532 0130 00']);
    const audit = (await t.database.db.raw(`select email, audience from audit_log where action = 'merchant.payout_settings'`)).rows;
    assert.deepEqual(audit, [{ email: finance.email, audience: 'console' }]);

    const support = await consoleUser(t, 'support');
    assert.doesNotMatch((await support.agent.get(page).expect(200)).text, /data-action="payout-settings"/);
    await post(support, action, { _once: 'x', payout_schedule: 'manual' }).expect(403);
  });
});
