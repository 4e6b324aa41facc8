import assert from 'node:assert/strict';
import { officeUser } from '../helpers/office.js';
import { useTestApp } from '../helpers/test-app.js';
import { createTestMerchant, createBuyer, lastCode, api } from '../helpers/merchant.js';
import { rememberSecret } from '../helpers/log-capture.js';
import { Receiver } from '../helpers/receiver.js';
import { query } from '../../lib/store/db.js';
import { lmiHash2, type HashedFields } from '../../lib/domain/lmi.js';
import { resealSecrets } from '../../lib/use-cases/reseal-secrets.js';
import { keyringOf, open } from '../../lib/domain/sealed-secrets.js';

/** Merchant secret keys and webhook secrets are kept sealed with DATA_KEY (spec §9 and #15). */
describe('merchant secrets at rest', () => {
  const receiver = new Receiver();
  const t = useTestApp();
  before(() => receiver.start());
  after(() => receiver.stop());

  const rowOf = async (id: string) =>
    (await query<{ secret_key: string; webhook_secret: string }>(t.database.db, 'select secret_key, webhook_secret from shops where merchant_id = ?', [id]))[0]!;

  async function paidResult(merchant: Awaited<ReturnType<typeof createTestMerchant>>) {
    const buyer = await createBuyer(t);
    const client = api(t, merchant);
    const p = await client.post('/payments', { payee_purse: merchant.purse, amount: '1.00', phone: buyer.phone }).expect(201);
    receiver.requests.length = 0;
    await client.post(`/payments/${p.body.id}/confirm`, { code: lastCode(t, buyer.phone) }).expect(200);
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
    assert.match(row.secret_key, /^v1\.[0-9a-f]{8}\./);
    assert.match(row.webhook_secret, /^v1\.[0-9a-f]{8}\./);
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
    assert.equal(open(keyringOf(rotated.dataKey), after.secret_key), merchant.secretKey);
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
    const [row] = await query<{ totp_secret: string }>(t.database.db, 'select totp_secret from office_users where email = ?', [user.email]);
    assert.equal(open(keyringOf(rotated.dataKey), row!.totp_secret), user.totpSecret);
    assert.equal((await resealSecrets({ db: t.database.db, config: rotated })).authenticators, 0);
    await resealSecrets({ db: t.database.db, config: { ...t.config, dataKeyPrevious: rotated.dataKey } });
  });

  it('re-seals the previous webhook secret too, which keeps signing for 24 h after a rotation', async () => {
    const merchant = await createTestMerchant(t, { result_url: receiver.url() });
    const shopId = (await t.admin('get', `/admin/v1/merchants/${merchant.id}`)).body.shop_id;
    const rotatedSecret = await api(t, merchant).post(`/shops/${shopId}/webhook_secret`).expect(200);
    rememberSecret(rotatedSecret.body.webhook_secret);
    const rotated = { ...t.config, dataKey: 'yet-another-data-key-0123456789-abcdef', dataKeyPrevious: t.config.dataKey };
    await resealSecrets({ db: t.database.db, config: rotated });
    const [row] = await query<{ previous_webhook_secret: string }>(t.database.db, 'select previous_webhook_secret from shops where id = ?', [shopId]);
    assert.equal(open(keyringOf(rotated.dataKey), row!.previous_webhook_secret), merchant.webhookSecret, 'opens with the new key alone');
    await resealSecrets({ db: t.database.db, config: { ...t.config, dataKeyPrevious: rotated.dataKey } });
  });

  it('seals secrets stored in the clear by an earlier release', async () => {
    const merchant = await createTestMerchant(t, { result_url: receiver.url() });
    await query(t.database.db, 'update shops set secret_key = ?, webhook_secret = ? where merchant_id = ?', [merchant.secretKey, merchant.webhookSecret, merchant.id]);
    await resealSecrets({ db: t.database.db, config: t.config });
    const row = await rowOf(merchant.id);
    assert.match(row.secret_key, /^v1\./);
    assert.ok(verifies(await paidResult(merchant), merchant.secretKey));
  });
});
