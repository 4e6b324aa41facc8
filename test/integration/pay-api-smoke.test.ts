import assert from 'node:assert/strict';
import { useTestApp } from '../helpers/test-app.js';
import { createTestMerchant, createBuyer, lastCode, api } from '../helpers/merchant.js';

describe('pay by API (smoke)', () => {
  const t = useTestApp();

  it('create with phone → code → confirm → succeeded', async () => {
    const merchant = await createTestMerchant(t);
    const buyer = await createBuyer(t, '50.00');
    const client = api(t, merchant);
    const created = await client.post('/payments', { payee_purse: merchant.purse, amount: '12.08', payment_no: 7, phone: `+${buyer.phone}` });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.status, 'code_sent');
    const code = lastCode(t, buyer.phone);
    const paid = await client.post(`/payments/${created.body.id}/confirm`, { code });
    assert.equal(paid.status, 200, JSON.stringify(paid.body));
    assert.equal(paid.body.status, 'succeeded');
    const wallet = await t.admin('get', `/admin/v1/wallets/${buyer.purse}`);
    assert.equal(wallet.body.balance, '37.92');
  });
});
