import assert from 'node:assert/strict';
import { useTestApp } from '../helpers/test-app.js';
import { createTestMerchant, createBuyer, api, lastCode } from '../helpers/merchant.js';
import { payNow } from '../helpers/payments.js';
import { rememberSecret } from '../helpers/log-capture.js';

/** docs/merchant-guide.md#conventions: every 201 says in Location where what it made is read, replays included. */
describe('201 answers name what they made', () => {
  const t = useTestApp();

  it('payments, refunds, shops and keys of the merchant API, and a replay of the same answer', async () => {
    const merchant = await createTestMerchant(t);
    const client = api(t, merchant);
    const buyer = await createBuyer(t, '20.00');
    const created = await t.http.post('/api/v1/payments').set('Authorization', `Bearer ${merchant.apiKey}`).set('Idempotency-Key', 'loc-1')
      .send({ payee_purse: merchant.purse, amount: '5.00', phone: buyer.phone }).expect(201);
    assert.equal(created.headers.location, `/api/v1/payments/${created.body.id}`);
    await t.http.get(created.headers.location!).set('Authorization', `Bearer ${merchant.apiKey}`).expect(200);
    const replay = await t.http.post('/api/v1/payments').set('Authorization', `Bearer ${merchant.apiKey}`).set('Idempotency-Key', 'loc-1')
      .send({ payee_purse: merchant.purse, amount: '5.00', phone: buyer.phone }).expect(201);
    assert.equal(replay.headers.location, created.headers.location, 'the replay carries it too');
    await client.post(`/payments/${created.body.id}/confirm`, { code: lastCode(t, buyer.phone) }).expect(200);

    const { payment } = await payNow(t, merchant, '3.00');
    const refund = await t.http.post(`/api/v1/payments/${payment.id}/refunds`).set('Authorization', `Bearer ${merchant.apiKey}`).send({ amount: '1.00' }).expect(201);
    assert.equal(refund.headers.location, `/api/v1/payments/${payment.id}/refunds`);
    const shop = await t.http.post('/api/v1/shops').set('Authorization', `Bearer ${merchant.apiKey}`).send({ name: 'Second shop', currency: 'USD' }).expect(201);
    rememberSecret(shop.body.secret_key);
    rememberSecret(shop.body.webhook_secret);
    assert.equal(shop.headers.location, `/api/v1/shops/${shop.body.id}`);
    await t.http.get(shop.headers.location!).set('Authorization', `Bearer ${merchant.apiKey}`).expect(200);
    const merchantMade = await t.admin('post', '/admin/v1/merchants').send({ name: 'Located' });
    for (const secret of [merchantMade.body.api_key, merchantMade.body.secret_key, merchantMade.body.webhook_secret]) rememberSecret(secret);
    assert.equal(merchantMade.status, 201);
    assert.equal(merchantMade.headers.location, `/admin/v1/merchants/${merchantMade.body.id}`);
    await t.admin('get', merchantMade.headers.location!).expect(200);
  });
});
