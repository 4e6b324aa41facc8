import assert from 'node:assert/strict';
import { useTestApp } from '../helpers/test-app.js';
import { createTestMerchant, api } from '../helpers/merchant.js';

/** Issue #20: every 4xx names the field and says what was expected in plain words. */
const LIBRARY_WORDING = /Invalid input|expected \w+, received|Too big|Too small|Unrecognized key|Invalid option|Invalid string|must match pattern|Unexpected token|is not valid JSON"/;

describe('errors in plain words, through the API', () => {
  const t = useTestApp();

  it('a missing, a mistyped and an unknown field are each named, with what was expected', async () => {
    const merchant = await createTestMerchant(t);
    const missing = await api(t, merchant).post('/payments', { payee_purse: merchant.purse }).expect(400);
    assert.deepEqual(missing.body.errors, [{ field: 'amount', message: 'is required', in: 'body' }]);
    assert.equal(missing.body.detail, 'The field "amount" is required.');

    const typed = await api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount: 12.08 }).expect(400);
    assert.equal(typed.body.errors[0].field, 'amount');
    assert.match(typed.body.errors[0].message, /decimal string such as "12\.08"/);

    const unknown = await api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount: '1.00', amont: '2', colour: 'red' }).expect(400);
    assert.deepEqual(unknown.body.errors.map((e: { field: string }) => e.field), ['amont', 'colour']);
    assert.equal(unknown.body.detail, 'The field "amont" is not a field of this request (and 1 more in errors).');

    for (const res of [missing, typed, unknown]) assert.doesNotMatch(JSON.stringify(res.body), LIBRARY_WORDING);
  });

  it('a query parameter error says it is a query parameter; created_from takes a date or a date-time', async () => {
    const merchant = await createTestMerchant(t);
    const big = await api(t, merchant).get('/payments?limit=500').expect(400);
    assert.equal(big.body.detail, 'The query parameter "limit" must be at most 100.');
    assert.deepEqual(big.body.errors[0], { field: 'limit', message: 'must be at most 100', in: 'query' });
    const stray = await api(t, merchant).get('/payments?colour=red').expect(400);
    assert.equal(stray.body.detail, 'The query parameter "colour" is not a field of this request.');
    await api(t, merchant).get('/payments?created_from=2026-12-01').expect(200);
    await api(t, merchant).get(`/payments?created_from=${encodeURIComponent('2026-12-01T10:00:00+03:00')}`).expect(200);
    const status = await api(t, merchant).get('/payments?status=paid').expect(400);
    assert.match(status.body.detail, /^The query parameter "status" must be one of "created", /);
  });

  it('invalid JSON says where, in lines and columns', async () => {
    const merchant = await createTestMerchant(t);
    const res = await t.http.post('/api/v1/payments').set('Authorization', `Bearer ${merchant.apiKey}`).set('Content-Type', 'application/json')
      .send('{"payee_purse": "Z1",\n  "amount": }').expect(400);
    assert.equal(res.headers['content-type'], 'application/problem+json');
    assert.equal(res.body.code, 'invalid_request');
    assert.equal(res.body.detail, 'The request body is not valid JSON: unexpected "}" at line 2, column 13.');
    assert.deepEqual(res.body.errors, [{ field: '(body)', message: 'is not valid JSON: unexpected "}" at line 2, column 13', in: 'body' }]);
    const cut = await t.http.post('/api/v1/payments').set('Authorization', `Bearer ${merchant.apiKey}`).set('Content-Type', 'application/json')
      .send('{"amount": "1.00"').expect(400);
    assert.match(cut.body.detail, /unexpected the end of the body at line 1, column 18/);
    const scalar = await t.http.post('/api/v1/payments').set('Authorization', `Bearer ${merchant.apiKey}`).set('Content-Type', 'application/json')
      .send('"text"').expect(400);
    assert.equal(scalar.body.detail, 'The request body must be a JSON object.');
  });

  it('a malformed path value is named by what it is', async () => {
    const merchant = await createTestMerchant(t);
    const res = await api(t, merchant).get('/wallets/Z1').expect(400);
    assert.equal(res.body.errors[0].field, 'purse');
    assert.equal(res.body.errors[0].in, 'path');
    assert.match(res.body.detail, /^The path parameter "purse": /);
  });

  it('the admin API speaks the same words', async () => {
    const res = await t.admin('post', '/admin/v1/merchants').send({ nmae: 'Shop' }).expect(400);
    assert.deepEqual(res.body.errors.map((e: { field: string }) => e.field).sort(), ['name', 'nmae']);
    assert.doesNotMatch(JSON.stringify(res.body), LIBRARY_WORDING);
  });
});
