import assert from 'node:assert/strict';
import supertest from 'supertest';
import { useTestApp } from '../helpers/test-app.js';
import { consoleUser, type ConsoleUser } from '../helpers/console.js';
import { csrfOf, onceOf, PASSWORD } from '../helpers/office.js';
import { capturedLogLines, rememberSecret } from '../helpers/log-capture.js';
import { formToken } from '../../lib/http/shared/action-tokens.js';
import { changeOperator } from '../../lib/use-cases/console/operators.js';
import { sha256Hex } from '../../lib/domain/secrets.js';
import type { UserId } from '../../lib/domain/ids.js';

/** docs/operator-guide.md#operator-console: the operator users page (admin only): invite, role, disable and enable, the admin's own rules. */
describe('console operator users', () => {
  const t = useTestApp();
  const rows = async (sql: string, ...args: string[]) => (await t.database.db.raw(sql, args)).rows;
  const post = (user: ConsoleUser, path: string, fields: Record<string, string>) => user.agent.post(path).type('form').send({ _csrf: user.csrf, ...fields });
  const tokenOf = async (user: ConsoleUser, action: string) => onceOf((await user.agent.get('/console/operators').expect(200)).text, action);
  const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // id, role, status, totp, passkeys, set-up
  const rowOf = (html: string, email: string) => new RegExp(`<tr data-operator-id="(usr_[^"]+)" data-role="([a-z]+)" data-status="([a-z]+)" data-totp="(true|false)" data-passkeys="(\\d+)" data-setup="(pending|done)">\\s*<td><bdi dir="ltr">${escaped(email)}</bdi>`).exec(html);
  const auditOf = (action: string, target: string) => rows('select user_id, email, ip, at, details from audit_log where audience = ? and action = ? and target = ?', 'console', action, target);

  it('is for admins only: every other role gets the 403 page and no link to it, and posting its forms changes nothing', async () => {
    const admin = await consoleUser(t, 'admin');
    const home = await admin.agent.get('/console').expect(200);
    assert.match(home.text, /<a href="\/console\/operators"[^>]*>Operators</);
    const page = await admin.agent.get('/console/operators').expect(200);
    const me = rowOf(page.text, admin.email)!;
    assert.deepEqual([me[1], me[2], me[3], me[4], me[6]], [admin.id, 'admin', 'active', 'true', 'done']);
    assert.match(page.text, /form method="post" action="\/console\/operators" data-action="invite"/);
    for (const role of ['finance', 'support', 'cashier'] as const) {
      const user = await consoleUser(t, role);
      if (role !== 'cashier') assert.doesNotMatch((await user.agent.get('/console').expect(200)).text, /href="\/console\/operators"/, role);
      const refused = await user.agent.get('/console/operators').expect(403);
      assert.match(refused.text, /Your role may not do this/);
      const once = formToken(user.csrf, '/console/operators', t.clock.now());
      await post(user, '/console/operators', { _once: once, email: `by-${role}@ops.example`, role: 'admin' }).expect(403);
      const target = `/console/operators/${admin.id}/disable`;
      await post(user, target, { _once: formToken(user.csrf, target, t.clock.now()), confirmed: '1' }).expect(403);
    }
    assert.deepEqual(await rows("select email from users where email like 'by-%'"), []);
    assert.deepEqual(await rows('select disabled_at from users where id = ?', admin.id), [{ disabled_at: null }]);
  });

  it('invites with the CLI\'s use-case: the set-up link is shown once, works once, is kept only as its hash and never logged', async () => {
    const admin = await consoleUser(t, 'admin');
    const once = await tokenOf(admin, '/console/operators');
    const [first, twin] = await Promise.all([0, 1].map(() => post(admin, '/console/operators', { _once: once, email: ' New.Support@Ops.Example ', role: 'support' })));
    const shown = [first!, twin!].find((r) => r.status === 201)!;
    assert.deepEqual([first!.status, twin!.status].sort(), [201, 303], 'the twin post lands on the list');
    assert.equal([first!, twin!].find((r) => r.status === 303)!.headers.location, '/console/operators');
    const link = /<code data-shown-once>([^<]+)<\/code>/.exec(shown.text)![1]!;
    const token = new URL(link).pathname.split('/').pop()!;
    rememberSecret(token);
    assert.equal(new URL(link).pathname, `/console/setup/${token}`);
    assert.equal(shown.headers['cache-control'], 'no-store');
    const made = await rows("select id, role, setup_token_hash, created_by from users where email = 'new.support@ops.example'");
    assert.equal(made.length, 1);
    assert.deepEqual([made[0].role, made[0].setup_token_hash, made[0].created_by], ['support', sha256Hex(token), admin.id]);
    assert.ok(rowOf(shown.text, 'new.support@ops.example'), 'the answer lists the new operator');

    const list = (await admin.agent.get('/console/operators').expect(200)).text;
    assert.doesNotMatch(list, new RegExp(token), 'a reload does not show the link');
    assert.deepEqual(rowOf(list, 'new.support@ops.example')!.slice(2, 7), ['support', 'active', 'false', '0', 'pending']);
    const audit = await auditOf('operator.create', 'new.support@ops.example');
    assert.equal(audit.length, 1);
    assert.deepEqual([audit[0].user_id, audit[0].email, audit[0].details], [admin.id, admin.email, { role: 'support' }]);
    assert.ok(audit[0].ip, 'the audit says from where');
    assert.equal(new Date(audit[0].at).getTime(), t.clock.now().getTime());

    const browser = supertest.agent(t.app.koa.callback());
    const setup = await browser.get(`/console/setup/${token}`).expect(200);
    await browser.post(`/console/setup/${token}`).type('form')
      .send({ _csrf: csrfOf(setup.text), password: PASSWORD, password_again: PASSWORD, totp_secret: '', totp: '' }).expect(303).expect('Location', '/console');
    await browser.get('/console/audit').expect(200);
    await supertest(t.app.koa.callback()).get(`/console/setup/${token}`).expect(410);
    assert.equal(rowOf((await admin.agent.get('/console/operators').expect(200)).text, 'new.support@ops.example')![6], 'done');

    assert.deepEqual(capturedLogLines.filter((l) => l.includes(token)), [], 'the link is in no log line');
    assert.deepEqual(await rows('select id from audit_log where details::text like ? or target like ?', `%${token}%`, `%${token}%`), []);
  });

  it('refuses bad input, a taken e-mail, a wrong CSRF token and a missing one-time token on the page, never with a 500', async () => {
    const admin = await consoleUser(t, 'admin');
    const bad = await post(admin, '/console/operators', { _once: await tokenOf(admin, '/console/operators'), email: 'not-an-address', role: 'support' }).expect(400);
    assert.match(bad.text, /class="error" role="alert">Please check the form: .*e-mail/);
    assert.match(bad.text, /value="not-an-address"/, 'the form keeps what was typed');
    await post(admin, '/console/operators', { _once: await tokenOf(admin, '/console/operators'), email: 'x@ops.example', role: 'root' }).expect(400);
    const taken = await post(admin, '/console/operators', { _once: await tokenOf(admin, '/console/operators'), email: admin.email, role: 'support' }).expect(409);
    assert.match(taken.text, /An operator with this e-mail exists already/);
    const csrf = await admin.agent.post('/console/operators').type('form').send({ _csrf: 'forged', _once: await tokenOf(admin, '/console/operators'), email: 'csrf@ops.example', role: 'admin' }).expect(403);
    assert.match(String(csrf.headers['content-type']), /text\/html/);
    await post(admin, '/console/operators', { email: 'no-once@ops.example', role: 'admin' }).expect(403);
    assert.deepEqual(await rows("select id from users where email in ('x@ops.example', 'csrf@ops.example', 'no-once@ops.example')"), []);
    for (const path of ['/console/operators/nope/role', '/console/operators/usr_nope/disable']) {
      const res = await post(admin, path, { _once: formToken(admin.csrf, path, t.clock.now()), role: 'support', confirmed: '1' });
      assert.equal(res.status, 404, path);
      assert.match(String(res.headers['content-type']), /text\/html/);
    }
  });

  it('changes a role, disables (confirmed first; its sessions end) and enables, each audited with who, when and from where', async () => {
    const admin = await consoleUser(t, 'admin');
    const support = await consoleUser(t, 'support');
    const rolePath = `/console/operators/${support.id}/role`;
    await post(admin, rolePath, { _once: await tokenOf(admin, rolePath), role: 'finance' }).expect(303).expect('Location', '/console/operators?done=role');
    const page = (await admin.agent.get('/console/operators?done=role').expect(200)).text;
    assert.match(page, /class="flash" role="status">The role is changed\./);
    assert.equal(rowOf(page, support.email)![2], 'finance');
    // finance must have an authenticator: the next request of the promoted operator enrols one first
    await support.agent.get('/console/payments').expect(302).expect('Location', '/console/totp/enrol');
    const [roleAudit] = await auditOf('operator.role', support.email);
    assert.deepEqual([roleAudit.user_id, roleAudit.email, roleAudit.details], [admin.id, admin.email, { from: 'support', to: 'finance' }]);
    assert.ok(roleAudit.ip);

    const disablePath = `/console/operators/${support.id}/disable`;
    const confirm = await post(admin, disablePath, { _once: await tokenOf(admin, disablePath) }).expect(200);
    assert.match(confirm.text, new RegExp(`Disable ${escaped(support.email)}\\?`));
    assert.equal((await rows('select disabled_at from users where id = ?', support.id))[0].disabled_at, null, 'nothing changes before the confirmation');
    const confirmed = { _once: /name="_once" value="([^"]+)"/.exec(confirm.text)![1]!, confirmed: '1' };
    await post(admin, disablePath, confirmed).expect(303).expect('Location', '/console/operators?done=disable');
    await post(admin, disablePath, confirmed).expect(303).expect('Location', '/console/operators?done=disable');
    assert.equal(rowOf((await admin.agent.get('/console/operators').expect(200)).text, support.email)![3], 'disabled');
    await support.agent.get('/console/payments').expect(302).expect('Location', '/console/login');
    assert.deepEqual(await rows('select token_hash from sessions where user_id = ?', support.id), []);
    assert.equal((await auditOf('operator.disable', support.email)).length, 1, 'the twin post acted once');

    const enablePath = `/console/operators/${support.id}/enable`;
    await post(admin, enablePath, { _once: await tokenOf(admin, enablePath), confirmed: '1' }).expect(303).expect('Location', '/console/operators?done=enable');
    assert.equal(rowOf((await admin.agent.get('/console/operators').expect(200)).text, support.email)![3], 'active');
    const audit = (await admin.agent.get(`/console/audit?target=${encodeURIComponent(support.email)}`).expect(200)).text;
    for (const action of ['operator.role', 'operator.disable', 'operator.enable']) assert.match(audit, new RegExp(`data-audit-action="${action}" data-audit-email="${admin.email}"`), action);
  });

  it('an admin cannot demote or disable themself, nor leave the console without an active admin', async () => {
    const admin = await consoleUser(t, 'admin');
    const other = await consoleUser(t, 'admin');
    const page = (await admin.agent.get('/console/operators').expect(200)).text;
    const ownRow = new RegExp(`<tr data-operator-id="${admin.id}"[^]*?</tr>`).exec(page)![0];
    assert.doesNotMatch(ownRow, /<form/, 'no form on the admin\'s own row');
    for (const [name, fields] of [['role', { role: 'support' }], ['disable', { confirmed: '1' }]] as const) {
      const path = `/console/operators/${admin.id}/${name}`;
      const refused = await post(admin, path, { _once: formToken(admin.csrf, path, t.clock.now()), ...fields }).expect(409);
      assert.match(refused.text, /class="error" role="alert">You cannot change your own role or disable yourself/);
    }
    assert.deepEqual(await rows('select role, disabled_at from users where id = ?', admin.id), [{ role: 'admin', disabled_at: null }]);
    assert.deepEqual(await auditOf('operator.role', admin.email), []);

    // every admin but `other` was demoted a moment ago (this one's page was open): it could not demote the last admin, and may no longer act
    await t.database.db.raw("update users set role = 'finance' where audience = 'console' and role = 'admin' and id <> ?", [other.id]);
    const actor = { userId: admin.id as UserId, email: admin.email, ip: '127.0.0.1' };
    await assert.rejects(changeOperator(t.app.deps, other.id as UserId, { role: 'support' }, actor), { code: 'last_admin' });
    await assert.rejects(changeOperator(t.app.deps, other.id as UserId, { status: 'disabled' }, actor), { code: 'last_admin' });
    const third = await consoleUser(t, 'support');
    await assert.rejects(changeOperator(t.app.deps, third.id as UserId, { role: 'cashier' }, actor), { code: 'forbidden' });
    assert.deepEqual(await rows('select role, disabled_at from users where id in (?, ?) order by role', other.id, third.id), [{ role: 'admin', disabled_at: null }, { role: 'support', disabled_at: null }]);
    // the CLI and the admin API keep their reach: they are the way back in
    await t.admin('patch', `/admin/v1/operators/${other.id}`).send({ role: 'finance' }).expect(200);
  });
});
