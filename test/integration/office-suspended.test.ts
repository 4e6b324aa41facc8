import assert from 'node:assert/strict';
import { useTestApp } from '../helpers/test-app.js';
import { createTestMerchant, createBuyer, api } from '../helpers/merchant.js';
import { assertLedgerClean, payNow } from '../helpers/payments.js';
import { officeUser } from '../helpers/office.js';
import { officeCapture, officeCreateKey, officeCreateUser, officeRedeliver, officeRefund, officeRequireTotp, officeRevokeKey, officeRotateSecret, officeSendLink, officeUpdateShop, officeVoid, type Actor } from '../../lib/use-cases/office/actions.js';
import { refundPayment } from '../../lib/use-cases/payments/refund-payment.js';
import type { ApiKeyId, NotificationId, ShopId } from '../../lib/domain/ids.js';
import type { Phone } from '../../lib/domain/phone.js';

/** docs/merchant-guide.md#shops-methods-and-keys and docs/merchant-guide.md#back-office: a suspended merchant's users still sign in and read, but nothing moves but by the operator. */
describe('back office of a suspended merchant', () => {
  const t = useTestApp({ config: { codes: { maxCodesPerPhonePerHour: 100 } } });

  async function counts() {
    const one = async (sql: string) => Number((await t.database.db.raw(sql)).rows[0].n);
    return {
      refunds: await one('select count(*) as n from refunds'),
      keys: await one('select count(*) as n from api_keys where revoked_at is null'),
      users: await one('select count(*) as n from users'),
      sms: await one('select count(*) as n from sms_messages'),
      payments: await one('select count(*) as n from payments'),
      statuses: (await t.database.db.raw('select id, status, amount_captured::text from payments order by id')).rows,
      shops: (await t.database.db.raw('select id, name, status, secret_key, webhook_secret, alerts::text from shops order by id')).rows,
      notifications: (await t.database.db.raw("select id, status, attempts, next_attempt_at from notifications where kind in ('result', 'webhook') order by id")).rows,
      audit: await one("select count(*) as n from audit_log where action not in ('sign_in', 'sign_out', 'sign_in_failed')"),
    };
  }

  it('shows the office read-only with a banner, answers 403 to every action and management POST, and lets the operator refund', async () => {
    const merchant = await createTestMerchant(t, { capture: 'manual' });
    const shopId = (await t.admin('get', `/admin/v1/merchants/${merchant.id}`)).body.shop_id as string;
    const owner = await officeUser(t, merchant, 'owner');
    const paid = (await payNow(t, merchant, '10.00')).payment;
    await api(t, merchant).post(`/payments/${paid.id}/capture`).expect(200);
    const authorized = (await payNow(t, merchant, '5.00')).payment;
    const notification = (await t.database.db.raw("select id from notifications where payment_id = ? and kind = 'result' limit 1", [paid.id])).rows[0]?.id as string;
    const keyId = (await t.database.db.raw('select id from api_keys where merchant_id = ? limit 1', [merchant.id])).rows[0].id as string;
    const buyer = await createBuyer(t, '1.00');

    await t.admin('patch', `/admin/v1/merchants/${merchant.id}`).send({ status: 'suspended' }).expect(200);
    const late = await officeUser(t, merchant, 'staff'); // the operator still adds users, who sign in
    const before = await counts();

    // reading works, with a banner on every page and no action form
    for (const path of ['/office', `/office/payments/${paid.id}`, `/office/payments/${authorized.id}`, '/office/shops', `/office/shops/${shopId}`, '/office/users', '/office/balance', '/office/links/new']) {
      const page = await owner.agent.get(path);
      assert.equal(page.status, 200, path);
      assert.match(page.text, /data-suspended/, `${path}: the banner`);
      const usable = (page.text.match(/<form method="post"[^]*?<\/form>/g) ?? []).filter((f) => !f.includes('action="/office/logout"') && f.includes('<button'));
      assert.deepEqual(usable, [], `${path}: no action form`);
    }

    const posts: [string, Record<string, string>][] = [
      [`/office/payments/${paid.id}/refund`, { amount: '1.00', confirmed: '1' }],
      [`/office/payments/${paid.id}/refund`, { amount: '1.00' }],
      [`/office/payments/${authorized.id}/capture`, { amount: '5.00', confirmed: '1' }],
      [`/office/payments/${authorized.id}/void`, { confirmed: '1' }],
      [`/office/payments/${paid.id}/notifications/${notification}/redeliver`, { confirmed: '1' }],
      ['/office/links/new', { shop_id: shopId, amount: '2.00', phone: `+${buyer.phone}` }],
      ['/office/keys', { name: 'while suspended' }],
      [`/office/keys/${keyId}/revoke`, { confirmed: '1' }],
      [`/office/shops/${shopId}`, { name: 'Renamed', status: 'active', methods: 'code' }],
      [`/office/shops/${shopId}/rotate`, { which: 'secret_key', confirmed: '1' }],
      [`/office/shops/${shopId}/alerts`, { emails: 'x@shop.example', phones: '', events: 'payment.succeeded' }],
      ['/office/users', { email: 'new-user@shop.example', role: 'staff' }],
      ['/office/users/require-totp', { require_totp: 'on' }],
    ];
    for (const [path, fields] of posts) {
      const res = await owner.agent.post(path).type('form').send({ _csrf: owner.csrf, ...fields });
      assert.equal(res.status, 403, `${path}: ${res.status}`);
      assert.match(res.text, /suspended/i, `${path}: says why`);
    }
    // the banner and the refusal read in the user's language; the operator still adds a user, who signs in and reads
    assert.match((await owner.agent.get('/office/shops?lang=ru').expect(200)).text, /data-suspended>Аккаунт продавца приостановлен/);
    await owner.agent.get('/office/shops?lang=en').expect(200);
    assert.match((await late.agent.get('/office').expect(200)).text, /data-suspended/);
    await owner.agent.get('/office?lang=de').expect(200);
    const german = await owner.agent.post('/office/keys').type('form').send({ _csrf: owner.csrf, name: 'x' });
    assert.equal(german.status, 403);
    assert.match(german.text, /Dieses Händlerkonto ist gesperrt/);
    await owner.agent.get('/office?lang=en').expect(200);
    assert.deepEqual(await counts(), before, 'nothing changed');
    await api(t, merchant).post(`/payments/${paid.id}/refunds`, { amount: '1.00' }).expect(403);

    // the operator still refunds past payments (docs/merchant-guide.md#shops-methods-and-keys)
    const refund = await t.admin('post', `/admin/v1/payments/${paid.id}/refunds`).send({ amount: '1.00' }).expect(201);
    assert.equal(refund.body.amount, '1.00');
    await assertLedgerClean(t);

    // reactivated: the office acts again, the banner is gone
    await t.admin('patch', `/admin/v1/merchants/${merchant.id}`).send({ status: 'active' }).expect(200);
    const page = await owner.agent.get(`/office/payments/${paid.id}`).expect(200);
    assert.doesNotMatch(page.text, /data-suspended/);
    assert.match(page.text, /data-action="refund"/);
  });

  it('refuses in the use-cases themselves (whatever edge calls them), but not the operator\'s refund', async () => {
    const merchant = await createTestMerchant(t, { capture: 'manual' });
    const shopId = (await t.admin('get', `/admin/v1/merchants/${merchant.id}`)).body.shop_id as ShopId;
    const paid = (await payNow(t, merchant, '10.00')).payment;
    await api(t, merchant).post(`/payments/${paid.id}/capture`).expect(200);
    const authorized = (await payNow(t, merchant, '5.00')).payment;
    const notification = (await t.database.db.raw("select id from notifications where payment_id = ? and kind = 'result' limit 1", [paid.id])).rows[0].id as NotificationId;
    const keyId = (await t.database.db.raw('select id from api_keys where merchant_id = ? limit 1', [merchant.id])).rows[0].id as ApiKeyId;
    const owner = await officeUser(t, merchant, 'owner');
    const userId = (await t.database.db.raw('select id from users where email = ?', [owner.email])).rows[0].id;
    await t.admin('patch', `/admin/v1/merchants/${merchant.id}`).send({ status: 'suspended' }).expect(200);
    const before = await counts();
    const deps = t.app.deps;
    const actor: Actor = { userId, email: owner.email, merchantId: merchant.id, ip: null };
    const buyer = await createBuyer(t, '1.00');
    const actions: [string, () => Promise<unknown>][] = [
      ['refund', () => officeRefund(deps, actor, paid.id, 100n as never)],
      ['capture', () => officeCapture(deps, actor, authorized.id, undefined)],
      ['void', () => officeVoid(deps, actor, authorized.id)],
      ['redeliver', () => officeRedeliver(deps, actor, notification)],
      ['pay link', () => officeSendLink(deps, actor, { shopId, amount: 200n as never, phone: buyer.phone as Phone })],
      ['key', () => officeCreateKey(deps, actor, 'k')],
      ['revoke', () => officeRevokeKey(deps, actor, keyId)],
      ['rotate', () => officeRotateSecret(deps, actor, shopId, 'webhook_secret')],
      ['shop', () => officeUpdateShop(deps, actor, shopId, { name: 'Renamed' })],
      ['user', () => officeCreateUser(deps, actor, 'another@shop.example', 'staff')],
      ['require totp', () => officeRequireTotp(deps, actor, true)],
      ['merchant refund', () => refundPayment(deps, { paymentId: paid.id, merchantId: merchant.id, amount: 100n as never })],
    ];
    for (const [name, run] of actions) {
      await assert.rejects(run, (err: { code?: string; status?: number }) => err.code === 'merchant_suspended' && err.status === 403, name);
    }
    assert.deepEqual(await counts(), before, 'nothing changed');
    const { refund } = await refundPayment(deps, { paymentId: paid.id, amount: 100n as never });
    assert.equal(refund.amount, 100n);
  });
});
