import assert from 'node:assert/strict';
import { useTestApp } from '../helpers/test-app.js';
import { createTestMerchant, api, type TestMerchant } from '../helpers/merchant.js';
import { query } from '../../lib/postgres/db.js';

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

  // [case, path, body, status, code, the field named in errors (undefined: a problem without fields)]
  const bodies: [string, string, () => unknown, number, string, string | undefined][] = [
    ['create: not an object', '/payments', () => '[1,2]', 400, 'invalid_request', '(body)'],
    ['create: no amount', '/payments', () => ({ payee_purse: merchant.purse }), 400, 'invalid_request', 'amount'],
    ['create: amount as a number', '/payments', () => ({ payee_purse: merchant.purse, amount: 12.08 }), 400, 'invalid_request', 'amount'],
    ['create: amount 1e3', '/payments', () => ({ payee_purse: merchant.purse, amount: '1e3' }), 400, 'invalid_request', 'amount'],
    ['create: amount -0.00', '/payments', () => ({ payee_purse: merchant.purse, amount: '-0.00' }), 400, 'invalid_request', 'amount'],
    ['create: amount " 1.00"', '/payments', () => ({ payee_purse: merchant.purse, amount: ' 1.00' }), 400, 'invalid_request', 'amount'],
    ['create: amount with 13 digits', '/payments', () => ({ payee_purse: merchant.purse, amount: '1234567890123' }), 400, 'invalid_request', 'amount'],
    ['create: amount with 3 decimals', '/payments', () => ({ payee_purse: merchant.purse, amount: '0.001' }), 400, 'invalid_request', 'amount'],
    ['create: negative amount', '/payments', () => ({ payee_purse: merchant.purse, amount: '-3' }), 400, 'invalid_request', 'amount'],
    ['create: unknown field', '/payments', () => ({ payee_purse: merchant.purse, amount: '1', amont: '2' }), 400, 'invalid_request', 'amont'],
    ['create: bad purse', '/payments', () => ({ payee_purse: 'Z1', amount: '1' }), 400, 'invalid_request', 'payee_purse'],
    ['create: impossible phone', '/payments', () => ({ payee_purse: merchant.purse, amount: '1', phone: '+999 12' }), 400, 'invalid_request', 'phone'],
    ['create: phone as a number', '/payments', () => ({ payee_purse: merchant.purse, amount: '1', phone: 79031234567 }), 400, 'invalid_request', 'phone'],
    ['create: send=fax', '/payments', () => ({ payee_purse: merchant.purse, amount: '1', send: 'fax' }), 400, 'invalid_request', 'send'],
    ['create: capture=later', '/payments', () => ({ payee_purse: merchant.purse, amount: '1', capture: 'later' }), 400, 'invalid_request', 'capture'],
    ['create: metadata not strings', '/payments', () => ({ payee_purse: merchant.purse, amount: '1', metadata: { a: 1 } }), 400, 'invalid_request', 'metadata.a'],
    ['create: payment_no too big', '/payments', () => ({ payee_purse: merchant.purse, amount: '1', payment_no: 2 ** 31 }), 400, 'invalid_request', 'payment_no'],
    ['create: payment_no as a string', '/payments', () => ({ payee_purse: merchant.purse, amount: '1', payment_no: '12' }), 400, 'invalid_request', 'payment_no'],
    ['create: description too long', '/payments', () => ({ payee_purse: merchant.purse, amount: '1', description: 'd'.repeat(300) }), 400, 'invalid_request', 'description'],
    ['create: NUL in the description', '/payments', () => ({ payee_purse: merchant.purse, amount: '1', description: 'shirt\u0000' }), 400, 'invalid_request', 'description'],
    ['create: NUL in metadata', '/payments', () => ({ payee_purse: merchant.purse, amount: '1', metadata: { note: 'a\u0000b' } }), 400, 'invalid_request', 'metadata.note'],
    ['create: NUL in a metadata key', '/payments', () => ({ payee_purse: merchant.purse, amount: '1', metadata: { 'n\u0000': 'x' } }), 400, 'invalid_request', 'metadata.n\u0000'],
    ['create: result_url on a foreign host', '/payments', () => ({ payee_purse: merchant.purse, amount: '1', result_url: 'https://other.example.org/r' }), 400, 'invalid_request', 'result_url'],
    ['create: result_url to loopback', '/payments', () => ({ payee_purse: merchant.purse, amount: '1', result_url: 'http://127.0.0.1/r' }), 400, 'invalid_request', 'result_url'],
    ['phone: missing', '/payments/:open/phone', () => ({}), 400, 'invalid_request', 'phone'],
    ['phone: letters', '/payments/:open/phone', () => ({ phone: 'my phone' }), 400, 'invalid_request', 'phone'],
    ['confirm: no code', '/payments/:open/confirm', () => ({}), 400, 'invalid_request', 'code'],
    ['confirm: code as a number', '/payments/:open/confirm', () => ({ code: 1234 }), 400, 'invalid_request', 'code'],
    ['confirm: 3 digits', '/payments/:open/confirm', () => ({ code: '123' }), 400, 'invalid_request', 'code'],
    ['confirm: letters', '/payments/:open/confirm', () => ({ code: 'abcd' }), 400, 'invalid_request', 'code'],
    ['resend: a body', '/payments/:open/resend', () => ({ phone: '+79031234567' }), 400, 'invalid_request', 'phone'],
    ['confirm: unknown payment', '/payments/pay_000000000000000000000000/confirm', () => ({ code: '1234' }), 404, 'payment_not_found', undefined],
    ['confirm: malformed id', '/payments/../../admin/confirm', () => ({ code: '1234' }), 404, 'not_found', undefined],
  ];

  for (const [name, path, body, status, code, field] of bodies) {
    it(`JSON: ${name}`, async () => {
      const before = await counts();
      const payload = body();
      const req = t.http.post(`/api/v1${path.replace(':open', openId)}`).set('Authorization', `Bearer ${merchant.apiKey}`).set('Content-Type', 'application/json');
      const res = await req.send(typeof payload === 'string' ? payload : JSON.stringify(payload));
      assert.equal(res.status, status, JSON.stringify(res.body));
      assert.equal(res.headers['content-type'], 'application/problem+json');
      assert.equal(res.body.code, code);
      if (field !== undefined) assert.equal(res.body.errors?.[0]?.field, field, JSON.stringify(res.body));
      assert.ok(res.body.detail.length > 10, JSON.stringify(res.body));
      assert.deepEqual(await counts(), before);
    });
  }

  const adminBodies: [string, unknown, string][] = [
    ['NUL in a name', { name: 'Shop\u0000' }, 'name'],
    ['bidi override in a name', { name: 'Shop \u202Egnp.exe' }, 'name'],
    ['bidi isolate in a name', { name: '\u2066Shop' }, 'name'],
    ['name as a number', { name: 42 }, 'name'],
    ['allowed_hosts not a list', { name: 'Shop', allowed_hosts: 'shop.example.com' }, 'allowed_hosts'],
    ['prerequest as a string', { name: 'Shop', prerequest: 'yes' }, 'prerequest'],
  ];
  for (const [name, body, field] of adminBodies) {
    it(`admin JSON: ${name}`, async () => {
      const [before] = await query<{ n: number }>(t.database.db, 'select count(*)::int as n from merchants');
      const res = await t.admin('post', '/admin/v1/merchants').send(body as object);
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.code, 'invalid_request');
      assert.equal(res.body.errors[0].field, field);
      const [after] = await query<{ n: number }>(t.database.db, 'select count(*)::int as n from merchants');
      assert.equal(after!.n, before!.n);
    });
  }

  it('the open payment used above is still open and untouched', async () => {
    const res = await api(t, merchant).get(`/payments/${openId}`).expect(200);
    assert.equal(res.body.status, 'created');
  });
});
