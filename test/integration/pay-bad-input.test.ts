import assert from 'node:assert/strict';
import { useTestApp } from '../helpers/test-app.js';
import { createTestMerchant, api, type TestMerchant } from '../helpers/merchant.js';
import { query } from '../../lib/store/db.js';

describe('bad input to the pay flow: a clear 4xx, nothing created', () => {
  const t = useTestApp();
  let merchant: TestMerchant;
  let openId: string;

  before(async () => {
    merchant = await createTestMerchant(t, { result_url: 'https://shop.example.com/result', allowed_hosts: ['pay.shop.example.com'] });
    openId = (await api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount: '1' }).expect(201)).body.id;
  });

  const counts = async () => {
    const [row] = await query<{ p: number; c: number; s: number }>(
      t.database.db,
      `select (select count(*) from payments)::int as p, (select count(*) from payment_codes)::int as c, (select count(*) from sms_messages)::int as s`,
    );
    return row!;
  };

  const form = (fields: Record<string, string>) => new URLSearchParams({ LMI_PAYEE_PURSE: merchant.purse, LMI_PAYMENT_AMOUNT: '10.00', ...fields });
  const forms: [string, () => string][] = [
    ['no purse', () => 'LMI_PAYMENT_AMOUNT=1'],
    ['no amount', () => `LMI_PAYEE_PURSE=${merchant.purse}`],
    ['empty body', () => ''],
    ['purse of nobody', () => form({ LMI_PAYEE_PURSE: 'Z999999999999' }).toString()],
    ['purse with a bad letter', () => form({ LMI_PAYEE_PURSE: 'X123456789012' }).toString()],
    ['purse too short', () => form({ LMI_PAYEE_PURSE: 'Z12345' }).toString()],
    ['negative amount', () => form({ LMI_PAYMENT_AMOUNT: '-1' }).toString()],
    ['zero amount', () => form({ LMI_PAYMENT_AMOUNT: '0.00' }).toString()],
    ['three decimals', () => form({ LMI_PAYMENT_AMOUNT: '1.005' }).toString()],
    ['comma decimal', () => form({ LMI_PAYMENT_AMOUNT: '1,50' }).toString()],
    ['exponent', () => form({ LMI_PAYMENT_AMOUNT: '1e3' }).toString()],
    ['amount too big', () => form({ LMI_PAYMENT_AMOUNT: '1000000000000.01' }).toString()],
    ['amount words', () => form({ LMI_PAYMENT_AMOUNT: 'ten' }).toString()],
    ['order number negative', () => form({ LMI_PAYMENT_NO: '-5' }).toString()],
    ['order number too big', () => form({ LMI_PAYMENT_NO: '2147483648' }).toString()],
    ['order number not a number', () => form({ LMI_PAYMENT_NO: 'A12' }).toString()],
    ['description too long', () => form({ LMI_PAYMENT_DESC: 'x'.repeat(256) }).toString()],
    ['base64 description not base64', () => form({ LMI_PAYMENT_DESC_BASE64: '%%%not-base64' }).toString()],
    ['base64 description not UTF-8', () => form({ LMI_PAYMENT_DESC_BASE64: Buffer.from([0xff, 0xfe, 0xfd]).toString('base64') }).toString()],
    ['sim mode 3', () => form({ LMI_SIM_MODE: '3' }).toString()],
    ['success method 7', () => form({ LMI_SUCCESS_METHOD: '7' }).toString()],
    ['result URL on a foreign host', () => form({ LMI_RESULT_URL: 'https://evil.example.net/steal' }).toString()],
    ['result URL not http', () => form({ LMI_RESULT_URL: 'ftp://shop.example.com/r' }).toString()],
    ['success URL javascript:', () => form({ LMI_SUCCESS_URL: 'javascript:alert(1)' }).toString()],
    ['result URL to loopback', () => form({ LMI_RESULT_URL: 'http://127.0.0.1/r' }).toString()],
    ['repeated field', () => `${form({}).toString()}&LMI_PAYMENT_AMOUNT=2`],
    ['too many own fields', () => `${form({}).toString()}&${Array.from({ length: 21 }, (_, i) => `f${i}=1`).join('&')}`],
    ['own fields too large', () => `${form({}).toString()}&big=${'y'.repeat(2100)}`],
    ['bad language tag', () => form({ LMI_LANG: 'english please' }).toString()],
  ];

  for (const [name, body] of forms) {
    it(`form: ${name}`, async () => {
      const before = await counts();
      const res = await t.http.post('/lmi/payment').type('form').send(body());
      assert.ok(res.status >= 400 && res.status < 500, `${res.status}`);
      assert.match(res.headers['content-type']!, /text\/html/);
      assert.match(res.text, /<h1>/);
      assert.ok(!/Internal error/.test(res.text));
      assert.deepEqual(await counts(), before);
    });
  }

  it('form: sent as JSON instead of a form', async () => {
    const res = await t.http.post('/lmi/payment').send({ LMI_PAYEE_PURSE: merchant.purse, LMI_PAYMENT_AMOUNT: '1' });
    assert.equal(res.status, 415);
  });

  const bodies: [string, string, () => unknown][] = [
    ['create: not an object', '/payments', () => '[1,2]'],
    ['create: no amount', '/payments', () => ({ payee_purse: merchant.purse })],
    ['create: amount as a number', '/payments', () => ({ payee_purse: merchant.purse, amount: 12.08 })],
    ['create: amount with 3 decimals', '/payments', () => ({ payee_purse: merchant.purse, amount: '0.001' })],
    ['create: negative amount', '/payments', () => ({ payee_purse: merchant.purse, amount: '-3' })],
    ['create: unknown field', '/payments', () => ({ payee_purse: merchant.purse, amount: '1', amont: '2' })],
    ['create: bad purse', '/payments', () => ({ payee_purse: 'Z1', amount: '1' })],
    ['create: impossible phone', '/payments', () => ({ payee_purse: merchant.purse, amount: '1', phone: '+999 12' })],
    ['create: phone as a number', '/payments', () => ({ payee_purse: merchant.purse, amount: '1', phone: 79031234567 })],
    ['create: send=fax', '/payments', () => ({ payee_purse: merchant.purse, amount: '1', send: 'fax' })],
    ['create: capture=later', '/payments', () => ({ payee_purse: merchant.purse, amount: '1', capture: 'later' })],
    ['create: metadata not strings', '/payments', () => ({ payee_purse: merchant.purse, amount: '1', metadata: { a: 1 } })],
    ['create: payment_no too big', '/payments', () => ({ payee_purse: merchant.purse, amount: '1', payment_no: 2 ** 31 })],
    ['create: description too long', '/payments', () => ({ payee_purse: merchant.purse, amount: '1', description: 'd'.repeat(300) })],
    ['create: result_url on a foreign host', '/payments', () => ({ payee_purse: merchant.purse, amount: '1', result_url: 'https://other.example.org/r' })],
    ['phone: missing', '/payments/:open/phone', () => ({})],
    ['phone: letters', '/payments/:open/phone', () => ({ phone: 'my phone' })],
    ['confirm: no code', '/payments/:open/confirm', () => ({})],
    ['confirm: code as a number', '/payments/:open/confirm', () => ({ code: 1234 })],
    ['confirm: 3 digits', '/payments/:open/confirm', () => ({ code: '123' })],
    ['confirm: letters', '/payments/:open/confirm', () => ({ code: 'abcd' })],
    ['resend: a body', '/payments/:open/resend', () => ({ phone: '+79031234567' })],
    ['confirm: unknown payment', '/payments/pay_000000000000000000000000/confirm', () => ({ code: '1234' })],
    ['confirm: malformed id', '/payments/../../admin/confirm', () => ({ code: '1234' })],
  ];

  for (const [name, path, body] of bodies) {
    it(`JSON: ${name}`, async () => {
      const before = await counts();
      const payload = body();
      const req = t.http.post(`/api/v1${path.replace(':open', openId)}`).set('Authorization', `Bearer ${merchant.apiKey}`).set('Content-Type', 'application/json');
      const res = await req.send(typeof payload === 'string' ? payload : JSON.stringify(payload));
      assert.ok(res.status >= 400 && res.status < 500, `${res.status} ${JSON.stringify(res.body)}`);
      assert.equal(res.headers['content-type'], 'application/problem+json');
      assert.ok(typeof res.body.code === 'string' && res.body.detail.length > 10, JSON.stringify(res.body));
      assert.deepEqual(await counts(), before);
    });
  }

  it('the open payment used above is still open and untouched', async () => {
    const res = await api(t, merchant).get(`/payments/${openId}`).expect(200);
    assert.equal(res.body.status, 'created');
  });
});
