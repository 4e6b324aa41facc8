import assert from 'node:assert/strict';
import { officeUser } from '../helpers/office.js';
import { useTestApp } from '../helpers/test-app.js';
import { createTestMerchant, createBuyer, lastCode, api } from '../helpers/merchant.js';
import { payNow } from '../helpers/payments.js';
import { rememberSecret } from '../helpers/log-capture.js';
import { Receiver } from '../helpers/receiver.js';
import { query } from '../../lib/postgres/db.js';
import { lmiHash2, type HashedFields } from '../../lib/domain/lmi.js';
import { resealSecrets } from '../../lib/use-cases/operators/reseal-secrets.js';
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { keyringOf, open, seal } from '../../lib/domain/sealed-secrets.js';
import { checkSealedSecrets } from '../../lib/use-cases/operators/check-sealed-secrets.js';
import supertest from 'supertest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
import { createApp, type App } from '../../lib/app.js';
import { loadConfig } from '../../lib/config.js';
import { rememberCode, capturedLogLines } from '../helpers/log-capture.js';
import { webhookHeaders } from '../../lib/notify/webhook-signature.js';
import type { TestMerchant } from '../helpers/merchant.js';

/** The format the release before issue 29 sealed with: no additional data binding it to its row. */
function sealV1(dataKey: string, plain: string): string {
  const key = createHash('sha256').update(`telepurse-data-key:${dataKey}`, 'utf8').digest();
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `v1.${createHash('sha256').update(key).digest('hex').slice(0, 8)}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
}

/** Merchant secret keys and webhook secrets are kept sealed with DATA_KEY (docs/merchant-guide.md#shops-methods-and-keys and #15). */
describe('merchant secrets at rest', () => {
  const receiver = new Receiver();
  const t = useTestApp();
  before(() => receiver.start());
  after(() => receiver.stop());

  const rowOf = async (id: string) =>
    (await query<{ id: string; secret_key: string; webhook_secret: string }>(t.database.db, 'select id, secret_key, webhook_secret from shops where merchant_id = ?', [id]))[0]!;
  const at = (column: string, id: string, table = 'shops') => ({ table, column, id });

  async function paidResult(merchant: Awaited<ReturnType<typeof createTestMerchant>>) {
    receiver.requests.length = 0;
    await payNow(t, merchant, '1.00');
    const [result] = await receiver.waitFor(1);
    return new URLSearchParams(result!.body);
  }

  const verifies = (f: URLSearchParams, secret: string) => {
    const names = ['LMI_PAYEE_PURSE', 'LMI_PAYMENT_AMOUNT', 'LMI_PAYMENT_NO', 'LMI_MODE', 'LMI_SYS_INVS_NO', 'LMI_SYS_TRANS_NO', 'LMI_SYS_TRANS_DATE', 'LMI_PAYER_PURSE', 'LMI_PAYER_WM'];
    const hashed = Object.fromEntries(names.map((n) => [n, f.get(n) ?? ''])) as HashedFields;
    return f.get('LMI_HASH2') === lmiHash2(hashed, secret);
  };

  it('keeps no secret in the clear in the database, and still signs with the one the merchant was shown', async () => {
    const merchant = await createTestMerchant(t, { result_url: receiver.url() });
    const row = await rowOf(merchant.id);
    assert.match(row.secret_key, /^v2\.[0-9a-f]{8}\./);
    assert.match(row.webhook_secret, /^v2\.[0-9a-f]{8}\./);
    const dump = JSON.stringify(await query(t.database.db, 'select * from shops'));
    assert.ok(!dump.includes(merchant.secretKey) && !dump.includes(merchant.webhookSecret), 'a dump does not reveal the secrets');
    assert.ok(verifies(await paidResult(merchant), merchant.secretKey));
  });

  it('after a DATA_KEY rotation re-seals every secret with the new key; signatures do not change', async () => {
    const merchant = await createTestMerchant(t, { result_url: receiver.url() });
    const before = await rowOf(merchant.id);
    const rotated = { ...t.config, dataKey: 'the-next-data-key-0123456789-abcdefghij', dataKeyPrevious: t.config.dataKey };
    const outcome = await resealSecrets({ db: t.database.db, config: rotated });
    assert.ok(outcome.resealed >= 1);
    const after = await rowOf(merchant.id);
    assert.notEqual(after.secret_key.split('.')[1], before.secret_key.split('.')[1], 'sealed with another key');
    assert.equal(open(keyringOf(rotated.dataKey), after.secret_key, at('secret_key', after.id)), merchant.secretKey);
    assert.equal((await resealSecrets({ db: t.database.db, config: rotated })).resealed, 0, 'nothing left to re-seal');
    await resealSecrets({ db: t.database.db, config: { ...t.config, dataKeyPrevious: rotated.dataKey } }); // and back, for the rest of the file
    assert.ok(verifies(await paidResult(merchant), merchant.secretKey));
  });

  it('re-seals the back office\'s authenticator secrets too, so users still sign in after a rotation', async () => {
    const merchant = await createTestMerchant(t);
    const user = await officeUser(t, merchant, 'owner', { totp: true });
    const rotated = { ...t.config, dataKey: 'the-next-data-key-0123456789-abcdefghij', dataKeyPrevious: t.config.dataKey };
    const outcome = await resealSecrets({ db: t.database.db, config: rotated });
    assert.ok(outcome.authenticators >= 1);
    const [row] = await query<{ id: string; totp_secret: string }>(t.database.db, 'select id, totp_secret from users where email = ?', [user.email]);
    assert.equal(open(keyringOf(rotated.dataKey), row!.totp_secret, at('totp_secret', row!.id, 'office_users')), user.totpSecret);
    assert.equal((await resealSecrets({ db: t.database.db, config: rotated })).authenticators, 0);
    await resealSecrets({ db: t.database.db, config: { ...t.config, dataKeyPrevious: rotated.dataKey } });
  });

  it('re-seals the retired webhook secret too, which keeps signing for 24 h after a rotation', async () => {
    const merchant = await createTestMerchant(t, { result_url: receiver.url() });
    const shopId = (await t.admin('get', `/admin/v1/merchants/${merchant.id}`)).body.shop_id;
    const rotatedSecret = await api(t, merchant).post(`/shops/${shopId}/webhook_secret`).expect(200);
    rememberSecret(rotatedSecret.body.webhook_secret);
    const rotated = { ...t.config, dataKey: 'yet-another-data-key-0123456789-abcdef', dataKeyPrevious: t.config.dataKey };
    await resealSecrets({ db: t.database.db, config: rotated });
    const [row] = await query<{ retired: string }>(t.database.db, `select retired_webhook_secrets->0->>'sealed' as retired from shops where id = ?`, [shopId]);
    assert.equal(open(keyringOf(rotated.dataKey), row!.retired, at('webhook_secret', shopId)), merchant.webhookSecret, 'opens with the new key alone');
    await resealSecrets({ db: t.database.db, config: { ...t.config, dataKeyPrevious: rotated.dataKey } });
  });

  it('seals secrets stored in the clear by an earlier release at start; re-seals nothing else there', async () => {
    const merchant = await createTestMerchant(t, { result_url: receiver.url() });
    const other = await createTestMerchant(t);
    const untouched = await rowOf(other.id);
    await query(t.database.db, 'update shops set secret_key = ?, webhook_secret = ? where merchant_id = ?', [merchant.secretKey, merchant.webhookSecret, merchant.id]);
    const rolled = loadConfig({ NODE_ENV: 'test' }, { dataKey: 'a-key-no-other-instance-knows-0123456789', dataKeyPrevious: t.config.dataKey });
    await checkSealedSecrets({ db: t.database.db, config: t.config });
    const row = await rowOf(merchant.id);
    assert.match(row.secret_key, /^v2\./);
    assert.ok(verifies(await paidResult(merchant), merchant.secretKey));
    await checkSealedSecrets({ db: t.database.db, config: rolled });
    assert.deepEqual(await rowOf(other.id), untouched, 'a start with a new key re-seals nothing');
  });

  it('a value sealed before the binding (v1) still signs; the CLI re-seal binds it to its row', async () => {
    const merchant = await createTestMerchant(t, { result_url: receiver.url() });
    await query(t.database.db, 'update shops set secret_key = ? where merchant_id = ?', [sealV1(t.config.dataKey!, merchant.secretKey), merchant.id]);
    assert.ok(verifies(await paidResult(merchant), merchant.secretKey), 'the v1 value opens');
    const outcome = await resealSecrets({ db: t.database.db, config: t.config });
    assert.ok(outcome.resealed >= 1);
    const row = await rowOf(merchant.id);
    assert.match(row.secret_key, /^v2\./);
    assert.equal(open(keyringOf(t.config.dataKey!), row.secret_key, at('secret_key', row.id)), merchant.secretKey);
    assert.ok(verifies(await paidResult(merchant), merchant.secretKey));
  });
  describe('a DATA_KEY rotation in phases, with instances on every phase at once', () => {
    const K1 = () => t.config.dataKey!;
    const K2 = 'the-rolled-data-key-0123456789-abcdefghij';
    const apps: App[] = [];
    const instance = (overrides: Record<string, unknown>) => {
      const app = createApp({ config: loadConfig({ NODE_ENV: 'test' }, overrides), db: t.database.db, clock: t.clock, log: t.log });
      apps.push(app);
      return app;
    };
    after(async () => {
      for (const app of apps) await app.stop();
    });

    const http = (app: App) => supertest(app.koa.callback());
    async function merchantOn(app: App): Promise<TestMerchant> {
      const res = await http(app).post('/admin/v1/merchants').set('Authorization', `Bearer ${t.config.adminToken}`)
        .send({ name: 'Rotating Shop', mode: 'test', result_url: receiver.url(), webhook_url: receiver.url('/hooks') });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      for (const secret of [res.body.api_key, res.body.secret_key, res.body.webhook_secret]) rememberSecret(secret);
      return { id: res.body.id, purse: res.body.purse, apiKey: res.body.api_key, secretKey: res.body.secret_key, webhookSecret: res.body.webhook_secret, mode: 'test' };
    }

    /** A payment confirmed and refunded through `app`: the Result carries the right LMI_HASH2, the webhooks the right signature. */
    async function payAndRefund(app: App, m: TestMerchant) {
      const buyer = await createBuyer(t, '100.00', { mode: 'test' });
      const call = (method: 'post' | 'get', path: string, body?: object) => http(app)[method](`/api/v1${path}`).set('Authorization', `Bearer ${m.apiKey}`).send(body);
      const p = await call('post', '/payments', { payee_purse: m.purse, amount: '3.00', phone: buyer.phone });
      assert.equal(p.status, 201, JSON.stringify(p.body));
      const inbox = await call('get', `/test/sms?phone=${encodeURIComponent(`+${buyer.phone}`)}`);
      const code = inbox.body.data[0].code as string;
      rememberCode(code);
      receiver.requests.length = 0;
      const paid = await call('post', `/payments/${p.body.id}/confirm`, { code });
      assert.equal(paid.status, 200, `confirm: ${JSON.stringify(paid.body)}`);
      const refund = await call('post', `/payments/${p.body.id}/refunds`, { amount: '1.00' });
      assert.equal(refund.status, 201, `refund: ${JSON.stringify(refund.body)}`);
      await app.notifier.idle();
      const result = receiver.requests.find((r) => r.path !== '/hooks');
      assert.ok(result && verifies(new URLSearchParams(result.body), m.secretKey), 'the Result is signed with the shop\'s secret key');
      const hooks = receiver.requests.filter((r) => r.path === '/hooks');
      assert.equal(hooks.length, 2, 'payment.succeeded and refund.succeeded');
      for (const hook of hooks) {
        const h = hook.headers as Record<string, string>;
        const expected = webhookHeaders(m.webhookSecret, h['webhook-id']!, hook.body, new Date(Number(h['webhook-timestamp']) * 1000))['webhook-signature']!;
        assert.ok(h['webhook-signature']!.split(' ').includes(expected), 'the webhook is signed with the shop\'s webhook secret');
      }
    }

    it('phase 1 (DATA_KEY=old, DATA_KEY_NEXT=new) beside the old instances, phase 2 (DATA_KEY=new, DATA_KEY_PREVIOUS=old), the CLI re-seal, then the new key alone', async () => {
      const oldOnly = t.app;
      const phase1 = instance({ dataKeyNext: K2 });
      const fromOld = await merchantOn(oldOnly);
      const fromPhase1 = await merchantOn(phase1);
      for (const app of [oldOnly, phase1]) for (const m of [fromOld, fromPhase1]) await payAndRefund(app, m);

      // every instance knows the new key now: phase 2 seals with it, the phase-1 instances still open what it seals
      const phase2 = instance({ dataKey: K2, dataKeyPrevious: K1() });
      const fromPhase2 = await merchantOn(phase2);
      for (const app of [phase1, phase2]) for (const m of [fromOld, fromPhase1, fromPhase2]) await payAndRefund(app, m);

      // phase 3, as the operator runs it: npm run cli -- secrets:reseal
      const cli = await run(process.execPath, ['--import', 'tsx', 'lib/cli.ts', 'secrets:reseal'], {
        env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: t.database.url, DATA_KEY: K2, DATA_KEY_PREVIOUS: K1(), LOG_LEVEL: 'warn' },
      });
      const resealed = JSON.parse(cli.stdout) as { resealed: number };
      assert.ok(resealed.resealed >= 2, cli.stdout);
      const newKeyId = seal(keyringOf(K2), 'x', at('secret_key', 'shp_x')).split('.')[1];
      for (const m of [fromOld, fromPhase1, fromPhase2]) {
        const row = await rowOf(m.id);
        for (const v of [row.secret_key, row.webhook_secret]) assert.ok(v.startsWith(`v2.${newKeyId}.`), 'sealed with the new key, bound to its row');
      }

      const phase4 = instance({ dataKey: K2 });
      for (const app of [phase2, phase4]) for (const m of [fromOld, fromPhase1, fromPhase2]) await payAndRefund(app, m);
      await assert.rejects(checkSealedSecrets({ db: t.database.db, config: loadConfig({ NODE_ENV: 'test' }) }), /unknown key/, 'a start with only the old key is refused');
      await resealSecrets({ db: t.database.db, config: loadConfig({ NODE_ENV: 'test' }, { dataKeyPrevious: K2 }) }); // back to the file's key
    });
  });

  it('a sealed secret copied into another shop\'s row does not open there: no Result is signed with it', async () => {
    const victim = await createTestMerchant(t, { result_url: receiver.url() });
    const attacker = await createTestMerchant(t, { result_url: receiver.url() });
    await query(t.database.db, 'update shops set secret_key = (select secret_key from shops where merchant_id = ?) where merchant_id = ?', [victim.id, attacker.id]);
    const buyer = await createBuyer(t);
    const client = api(t, attacker);
    const p = await client.post('/payments', { payee_purse: attacker.purse, amount: '1.00', phone: buyer.phone }).expect(201);
    receiver.requests.length = 0;
    const refused = await client.post(`/payments/${p.body.id}/confirm`, { code: lastCode(t, buyer.phone) });
    assert.equal(refused.status, 503, JSON.stringify(refused.body));
    await t.app.notifier.idle();
    assert.equal(receiver.requests.length, 0, 'nothing signed with the other shop\'s key went out');
    assert.ok(capturedLogLines.some((l) => /does not open in shops\.secret_key/.test(l)), 'the log says which secret is misplaced');
  });
});
