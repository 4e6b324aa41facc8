import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import supertest from 'supertest';
import { useTestApp } from '../helpers/test-app.js';
import { createTestMerchant } from '../helpers/merchant.js';
import { payNow } from '../helpers/payments.js';
import { consoleUser } from '../helpers/console.js';
import { csrfOf, officeUser, PASSWORD } from '../helpers/office.js';
import { rememberSecret } from '../helpers/log-capture.js';
import { totpCode } from '../../lib/domain/totp.js';

const run = promisify(execFile);

/** docs/operator-guide.md#operator-console: what the console does is in the admin API and the CLI too. */
describe('operator console: admin API and CLI parity', function () {
  this.timeout(60_000);
  const t = useTestApp();

  it('creates operator users (the set-up link once: null in a replay), lists and changes them; a disabled one is signed out at once', async () => {
    const key = `op-${Date.now()}`;
    const made = await t.admin('post', '/admin/v1/operators').set('Idempotency-Key', key).send({ email: 'Support-1@Ops.example', role: 'support' }).expect(201);
    rememberSecret(made.body.setup_url.split('/').pop());
    assert.deepEqual({ ...made.body, id: undefined, setup_url: undefined, setup_expires_at: undefined }, { id: undefined, object: 'operator', email: 'support-1@ops.example', role: 'support', status: 'active', setup_url: undefined, setup_expires_at: undefined });
    assert.match(made.body.setup_url, /\/console\/setup\/[A-Za-z0-9_-]{43}$/);
    const replay = await t.admin('post', '/admin/v1/operators').set('Idempotency-Key', key).send({ email: 'Support-1@Ops.example', role: 'support' }).expect(201);
    assert.equal(replay.body.setup_url, null);
    await t.admin('post', '/admin/v1/operators').send({ email: 'support-1@ops.example', role: 'admin' }).expect(409);
    await t.admin('post', '/admin/v1/operators').send({ email: 'x@ops.example', role: 'owner' }).expect(400);

    const user = await consoleUser(t, 'support');
    const listed = (await t.admin('get', '/admin/v1/operators').expect(200)).body.data;
    assert.ok(listed.some((o: { id: string; role: string; totp_required: boolean }) => o.id === user.id && o.role === 'support' && !o.totp_required));
    const promoted = await t.admin('patch', `/admin/v1/operators/${user.id}`).send({ role: 'finance' }).expect(200);
    assert.deepEqual([promoted.body.role, promoted.body.totp_required, promoted.body.setup_url], ['finance', true, null]);
    // finance must enrol an authenticator first
    await user.agent.get('/console/payments').expect(302).expect('Location', '/console/totp/enrol');
    await t.admin('patch', `/admin/v1/operators/${user.id}`).send({ status: 'disabled' }).expect(200);
    await user.agent.get('/console/payments').expect(302).expect('Location', '/console/login');
    const reset = await t.admin('patch', `/admin/v1/operators/${user.id}`).send({ status: 'active', reset: true }).expect(200);
    rememberSecret(reset.body.setup_url.split('/').pop());
    assert.match(reset.body.setup_url, /\/console\/setup\//);
    await t.admin('patch', '/admin/v1/operators/usr_000000000000000000000000').send({ role: 'admin' }).expect(404);
    const audit = (await t.database.db.raw("select action from audit_log where audience = 'console' and target = ? order by id", [user.email])).rows.map((r: { action: string }) => r.action);
    assert.deepEqual(audit, ['operator.create', 'operator.role', 'operator.disable', 'operator.enable', 'operator.reset_password']);
  });

  it('finds payments across merchants by phone, order number and id, and lists merchants\' users across merchants', async () => {
    const [a, b] = [await createTestMerchant(t), await createTestMerchant(t)];
    const { payment, buyer } = await payNow(t, a, '7.00', { payment_no: 4242 });
    const { payment: other } = await payNow(t, b, '8.00', {}, { buyer });
    const byPhone = (await t.admin('get', `/admin/v1/payments?q=${encodeURIComponent(`+${buyer.phone}`)}`).expect(200)).body;
    assert.deepEqual(byPhone.data.map((p: { id: string; merchant_id: string }) => [p.id, p.merchant_id]), [[other.id, b.id], [payment.id, a.id]]);
    const byOrder = (await t.admin('get', '/admin/v1/payments?q=4242').expect(200)).body.data;
    assert.ok(byOrder.some((p: { id: string }) => p.id === payment.id));
    assert.deepEqual((await t.admin('get', `/admin/v1/payments?q=${other.id}`).expect(200)).body.data.map((p: { id: string }) => p.id), [other.id]);
    assert.deepEqual((await t.admin('get', '/admin/v1/payments?q=no-such-thing').expect(200)).body.data, []);
    const paged = (await t.admin('get', `/admin/v1/payments?q=${encodeURIComponent(`+${buyer.phone}`)}&limit=1`).expect(200)).body;
    assert.equal(paged.has_more, true);
    const next = (await t.admin('get', `/admin/v1/payments?q=${encodeURIComponent(`+${buyer.phone}`)}&limit=1&cursor=${paged.next_cursor}`).expect(200)).body;
    assert.deepEqual(next.data.map((p: { id: string }) => p.id), [payment.id]);

    const owner = await officeUser(t, a, 'owner');
    await officeUser(t, b, 'staff');
    const ofA = (await t.admin('get', `/admin/v1/users?merchant_id=${a.id}`).expect(200)).body.data;
    assert.deepEqual(ofA.map((u: { email: string; merchant_id: string }) => [u.email, u.merchant_id]), [[owner.email, a.id]]);
    const byEmail = (await t.admin('get', `/admin/v1/users?email=${encodeURIComponent(owner.email.toUpperCase())}`).expect(200)).body.data;
    assert.deepEqual(byEmail.map((u: { id: string }) => u.id).length, 1);
    await t.admin('get', '/admin/v1/users?merchant_id=nope').expect(400);
  });

  it('operators:create prints a set-up link that opens the console; fees:set sets a shop\'s fee', async () => {
    const cli = async (...args: string[]) => {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', 'lib/cli.ts', ...args], { env: { ...process.env, NODE_ENV: 'development', DATABASE_URL: t.database.url } });
      return JSON.parse(stdout);
    };
    const made = await cli('operators:create', '--email', 'cli-admin@ops.example', '--role', 'admin');
    rememberSecret(made.setup_url.split('/').pop());
    assert.deepEqual([made.email, made.role], ['cli-admin@ops.example', 'admin']);
    const agent = supertest.agent(t.app.koa.callback());
    const path = new URL(made.setup_url).pathname;
    const page = await agent.get(path).expect(200);
    const secret = /name="totp_secret" value="([A-Z2-7]+)"/.exec(page.text)![1]!;
    await agent.post(path).type('form').send({ _csrf: csrfOf(page.text), password: PASSWORD, password_again: PASSWORD, totp_secret: secret, totp: await totpCode(secret, t.clock.now()) })
      .expect(303).expect('Location', '/console');
    await agent.get('/console').expect(200);
    const by = (await t.database.db.raw("select email from audit_log where audience = 'console' and action = 'operator.create' and target = 'cli-admin@ops.example'")).rows[0].email;
    assert.match(by, /^cli:/);

    const merchant = await createTestMerchant(t);
    const shopId = (await t.database.db.raw('select id from shops where merchant_id = ?', [merchant.id])).rows[0].id;
    const shop = await cli('fees:set', '--shop', shopId, '--percent', '1.75', '--fixed', '0.05', '--refund', 'keep');
    assert.deepEqual(shop.fee, { percent: '1.75', fixed: '0.05', refund: 'keep' });
  });
});
