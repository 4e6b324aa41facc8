import assert from 'node:assert/strict';
import { useTestApp } from '../helpers/test-app.js';
import { createTestMerchant, api, type TestMerchant } from '../helpers/merchant.js';
import { query } from '../../lib/store/db.js';

describe('bad input to the pay flow: a clear 4xx, nothing created', () => {
  const t = useTestApp({ config: { allowPrivateCallbacks: false } });
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
  const raw = (tail: string) => `LMI_PAYEE_PURSE=${merchant.purse}&LMI_PAYMENT_AMOUNT=10.00&${tail}`;
  // [case, body, status, the field the page must name]
  const forms: [string, () => string, number, string][] = [
    ['no purse', () => 'LMI_PAYMENT_AMOUNT=1', 400, 'LMI_PAYEE_PURSE'],
    ['no amount', () => `LMI_PAYEE_PURSE=${merchant.purse}`, 400, 'LMI_PAYMENT_AMOUNT'],
    ['empty body', () => '', 400, 'LMI_PAYEE_PURSE'],
    ['purse of nobody', () => form({ LMI_PAYEE_PURSE: 'Z999999999999' }).toString(), 400, 'LMI_PAYEE_PURSE'],
    ['purse with a bad letter', () => form({ LMI_PAYEE_PURSE: 'X123456789012' }).toString(), 400, 'LMI_PAYEE_PURSE'],
    ['purse too short', () => form({ LMI_PAYEE_PURSE: 'Z12345' }).toString(), 400, 'LMI_PAYEE_PURSE'],
    ['negative amount', () => form({ LMI_PAYMENT_AMOUNT: '-1' }).toString(), 400, 'LMI_PAYMENT_AMOUNT'],
    ['negative zero', () => form({ LMI_PAYMENT_AMOUNT: '-0.00' }).toString(), 400, 'LMI_PAYMENT_AMOUNT'],
    ['zero amount', () => form({ LMI_PAYMENT_AMOUNT: '0.00' }).toString(), 400, 'LMI_PAYMENT_AMOUNT'],
    ['three decimals', () => form({ LMI_PAYMENT_AMOUNT: '1.005' }).toString(), 400, 'LMI_PAYMENT_AMOUNT'],
    ['comma decimal', () => form({ LMI_PAYMENT_AMOUNT: '1,00' }).toString(), 400, 'LMI_PAYMENT_AMOUNT'],
    ['leading space', () => form({ LMI_PAYMENT_AMOUNT: ' 1.00' }).toString(), 400, 'LMI_PAYMENT_AMOUNT'],
    ['exponent', () => form({ LMI_PAYMENT_AMOUNT: '1e3' }).toString(), 400, 'LMI_PAYMENT_AMOUNT'],
    ['13 digits', () => form({ LMI_PAYMENT_AMOUNT: '9999999999999' }).toString(), 400, 'LMI_PAYMENT_AMOUNT'],
    ['amount too big', () => form({ LMI_PAYMENT_AMOUNT: '1000000000000.01' }).toString(), 400, 'LMI_PAYMENT_AMOUNT'],
    ['amount words', () => form({ LMI_PAYMENT_AMOUNT: 'ten' }).toString(), 400, 'LMI_PAYMENT_AMOUNT'],
    ['order number negative', () => form({ LMI_PAYMENT_NO: '-5' }).toString(), 400, 'LMI_PAYMENT_NO'],
    ['order number too big', () => form({ LMI_PAYMENT_NO: '2147483648' }).toString(), 400, 'LMI_PAYMENT_NO'],
    ['order number not a number', () => form({ LMI_PAYMENT_NO: 'A12' }).toString(), 400, 'LMI_PAYMENT_NO'],
    ['description too long', () => form({ LMI_PAYMENT_DESC: 'x'.repeat(256) }).toString(), 400, 'LMI_PAYMENT_DESC'],
    ['NUL in the description', () => raw('LMI_PAYMENT_DESC=shirt%00'), 400, 'LMI_PAYMENT_DESC'],
    ['NUL in a field of the shop', () => raw('order_ref=a%00b'), 400, 'order_ref'],
    ['NUL in a base64 description', () => form({ LMI_PAYMENT_DESC_BASE64: Buffer.from('a\u0000b').toString('base64') }).toString(), 400, 'LMI_PAYMENT_DESC_BASE64'],
    ['invalid UTF-8 in the description', () => raw('LMI_PAYMENT_DESC=%C3%28'), 400, 'LMI_PAYMENT_DESC'],
    ['invalid UTF-8 in a field name', () => raw('caf%C3=1'), 400, 'caf%C3'],
    ['base64 description not base64', () => form({ LMI_PAYMENT_DESC_BASE64: '%%%not-base64' }).toString(), 400, 'LMI_PAYMENT_DESC_BASE64'],
    ['base64 description not UTF-8', () => form({ LMI_PAYMENT_DESC_BASE64: Buffer.from([0xff, 0xfe, 0xfd]).toString('base64') }).toString(), 400, 'LMI_PAYMENT_DESC_BASE64'],
    ['sim mode 3', () => form({ LMI_SIM_MODE: '3' }).toString(), 400, 'LMI_SIM_MODE'],
    ['success method 7', () => form({ LMI_SUCCESS_METHOD: '7' }).toString(), 400, 'LMI_SUCCESS_METHOD'],
    ['result URL not http', () => form({ LMI_RESULT_URL: 'ftp://shop.example.com/r' }).toString(), 400, 'LMI_RESULT_URL'],
    ['success URL javascript:', () => form({ LMI_SUCCESS_URL: 'javascript:alert(1)' }).toString(), 400, 'LMI_SUCCESS_URL'],
    ['repeated LMI_ field', () => `${form({}).toString()}&LMI_PAYMENT_AMOUNT=2`, 400, 'LMI_PAYMENT_AMOUNT'],
    ['repeated field of the shop', () => raw('ref=1&ref=2'), 400, 'ref'],
    ['look-alike LMI.TELEPAT.ORDERID', () => raw('LMI.TELEPAT.ORDERID=x'), 400, 'LMI.TELEPAT.ORDERID'],
    ['look-alike "LMI TELEPAT"', () => raw('LMI+TELEPAT=x'), 400, 'LMI TELEPAT'],
    ['look-alike lower case lmi_payment_no', () => raw('lmi_payment_no=5'), 400, 'lmi_payment_no'],
    ['too many own fields', () => `${form({}).toString()}&${Array.from({ length: 21 }, (_, i) => `f${i}=1`).join('&')}`, 400, '(form)'],
    ['own fields too large', () => `${form({}).toString()}&big=${'y'.repeat(2100)}`, 400, '(form)'],
    ['bad language tag', () => form({ LMI_LANG: 'english please' }).toString(), 400, 'LMI_LANG'],
  ];

  for (const [name, body, status, field] of forms) {
    it(`form: ${name}`, async () => {
      const before = await counts();
      const res = await t.http.post('/lmi/payment').type('form').send(body());
      assert.equal(res.status, status);
      assert.match(res.headers['content-type']!, /text\/html/);
      assert.match(res.text, /<h1>/);
      assert.ok(res.text.includes(`<strong>${field.replace(/&/g, '&amp;')}</strong>`), `the page names ${field}: ${res.text.slice(0, 600)}`);
      assert.deepEqual(await counts(), before);
    });
  }

  describe('URLs from a form, with a shop that allows them (allow_form_urls)', () => {
    let open: TestMerchant;
    before(async () => {
      open = await createTestMerchant(t, { result_url: 'https://shop.example.com/result', allowed_hosts: ['pay.shop.example.com'], allow_form_urls: true });
    });
    const cases: [string, Record<string, string>, string, string][] = [
      ['result URL on a foreign host', { LMI_RESULT_URL: 'https://evil.example.net/steal' }, 'result_url', 'registered hosts'],
      // private callbacks are off in this file: the loopback guard itself is what refuses it
      ['result URL to loopback', { LMI_RESULT_URL: 'http://127.0.0.1/r' }, 'result_url', 'private or local address'],
      ['success URL on a foreign host', { LMI_SUCCESS_URL: 'https://evil.example.net/phish' }, 'success_url', 'registered hosts'],
    ];
    for (const [name, fields, field, reason] of cases) {
      it(`form: ${name}`, async () => {
        const before = await counts();
        const res = await t.http.post('/lmi/payment').type('form').send(new URLSearchParams({ LMI_PAYEE_PURSE: open.purse, LMI_PAYMENT_AMOUNT: '1', ...fields }).toString());
        assert.equal(res.status, 400);
        assert.ok(res.text.includes(`<strong>${field}</strong>`), res.text.slice(0, 600));
        assert.ok(res.text.includes(reason), res.text.slice(0, 600));
        assert.deepEqual(await counts(), before);
      });
    }
  });

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
