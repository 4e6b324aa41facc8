import assert from 'node:assert/strict';
import { useTestApp } from '../helpers/test-app.js';
import { createTestMerchant, createBuyer, lastCode, api } from '../helpers/merchant.js';

/** Spec §9: a merchant (account) has shops; a merchant created as in §7 gets one shop with those settings. */
describe('shops', () => {
  const t = useTestApp();

  it('a merchant created as in §7 has one shop; its answer keeps every field and adds shop_id', async () => {
    const res = await t.admin('post', '/admin/v1/merchants').send({ name: 'One Shop', result_url: 'http://127.0.0.1:9/result', hash_method: 'md5', prerequest: false }).expect(201);
    for (const field of ['id', 'name', 'purse', 'mode', 'api_key', 'secret_key', 'webhook_secret', 'result_url', 'hash_method', 'capture']) assert.ok(field in res.body, field);
    assert.equal(res.body.shop_id, `shp_${res.body.id.slice(4)}`);
    assert.equal(res.body.hash_method, 'md5');
    const shown = await t.admin('get', `/admin/v1/merchants/${res.body.id}`).expect(200);
    assert.equal(shown.body.shop_id, res.body.shop_id);
  });

  it('payments carry the shop of their payee purse and can be listed by shop', async () => {
    const merchant = await createTestMerchant(t);
    const shopId = (await t.admin('get', `/admin/v1/merchants/${merchant.id}`)).body.shop_id as string;
    const buyer = await createBuyer(t);
    const client = api(t, merchant);
    const p = await client.post('/payments', { payee_purse: merchant.purse, amount: '1.00', phone: buyer.phone }).expect(201);
    assert.equal(p.body.shop_id, shopId);
    const paid = await client.post(`/payments/${p.body.id}/confirm`, { code: lastCode(t, buyer.phone) }).expect(200);
    assert.equal(paid.body.shop_id, shopId);
    const listed = await client.get(`/payments?shop_id=${shopId}`).expect(200);
    assert.deepEqual(listed.body.data.map((x: { id: string }) => x.id), [p.body.id]);
    const none = await client.get('/payments?shop_id=shp_000000000000000000000000').expect(200);
    assert.deepEqual(none.body.data, []);
    const bad = await client.get('/payments?shop_id=shop-1').expect(400);
    assert.equal(bad.body.errors[0].field, 'shop_id');
  });
});
