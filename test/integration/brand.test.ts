import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { api, createBuyer, createTestMerchant, lastCode, type TestMerchant } from '../helpers/merchant.js';
import { payNow } from '../helpers/payments.js';
import { HostedPage } from '../helpers/hosted-page.js';
import { SmtpSink } from '../helpers/smtp-sink.js';
import { officeUser, onceOf, type OfficeUser } from '../helpers/office.js';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
const DIRTY_SVG = '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script><rect width="4" height="4" fill="#f60"/>'
  + '<foreignObject><div>x</div></foreignObject><image href="http://evil.example/x.png"/></svg>';
const dataUrl = (type: string, bytes: Buffer) => `data:${type};base64,${bytes.toString('base64')}`;

/** docs/merchant-guide.md#brand: the shop's logo, colour, support contact and terms, set by API or office, shown to the buyer. */
describe('shop brand', () => {
  const smtp = new SmtpSink();
  let t: TestApp;
  let merchant: TestMerchant;
  let shopId: string;
  let owner: OfficeUser;

  before(async () => {
    await smtp.start();
    t = await startTestApp({ config: { smtpUrl: smtp.url, mailFrom: 'telepurse <receipts@pay.example>', operatorName: 'Example Pay', operatorUrl: 'https://operator.example/' } });
    merchant = await createTestMerchant(t, { name: 'Brand Shop' });
    shopId = (await t.admin('get', `/admin/v1/merchants/${merchant.id}`)).body.shop_id;
    owner = await officeUser(t, merchant, 'owner');
  });
  after(async () => {
    await t.close();
    await smtp.stop();
  });

  const brandOf = async () => (await api(t, merchant).get(`/shops/${shopId}`).expect(200)).body.brand;

  it('sets the brand through the API; the SVG logo is sanitized and served on its own URL with a CSP that runs nothing', async () => {
    const res = await api(t, merchant).patch(`/shops/${shopId}`, {
      brand: { logo: dataUrl('image/svg+xml', Buffer.from(DIRTY_SVG)), color: '#FFEB3B', support_email: 'Help@Brand.example', support_phone: '+49 30 1234567', terms_url: 'https://brand.example/terms' },
    }).expect(200);
    const b = res.body.brand;
    assert.match(b.logo, new RegExp(`^/brand/${shopId}/[0-9a-f]{32}\\.svg$`));
    assert.deepEqual([b.color, b.support_email, b.support_phone, b.terms_url], ['#ffeb3b', 'help@brand.example', '+49301234567', 'https://brand.example/terms']);
    assert.notEqual(b.button_color, '#ffeb3b', 'a yellow button is darkened for white text');

    const logo = await t.http.get(b.logo).buffer(true).parse((r, cb) => { const c: Buffer[] = []; r.on('data', (d: Buffer) => c.push(d)); r.on('end', () => cb(null, Buffer.concat(c))); }).expect(200);
    assert.equal(logo.headers['content-type'], 'image/svg+xml');
    assert.match(logo.headers['content-security-policy']!, /^default-src 'none'/);
    assert.equal(logo.headers['x-content-type-options'], 'nosniff');
    assert.match(logo.headers['cache-control']!, /immutable/);
    const svg = (logo.body as Buffer).toString();
    assert.ok(svg.includes('<rect width="4" height="4" fill="#f60"/>'));
    for (const bad of ['script', 'onload', 'alert', 'foreignObject', 'evil.example']) assert.ok(!svg.includes(bad), bad);

    const css = await t.http.get(`/brand/ffeb3b.css`).expect(200);
    assert.ok(css.text.startsWith(`:root { --accent: ${b.button_color}; }`), css.text);
    await t.http.get(`/brand/${shopId}/${'0'.repeat(32)}.svg`).expect(404);
  });

  it('refuses an oversize or wrong-type logo with 422 and changes nothing', async () => {
    const before = await brandOf();
    const big = Buffer.concat([PNG, Buffer.alloc(101 * 1024)]);
    for (const logo of [dataUrl('image/png', big), dataUrl('image/gif', Buffer.from('GIF89a\x01\x00\x01\x00')), dataUrl('image/svg+xml', Buffer.from('<svg><g></svg>'))]) {
      const res = await api(t, merchant).patch(`/shops/${shopId}`, { brand: { logo, color: '#000000' } });
      assert.equal(res.status, 422, res.text);
      assert.equal(res.body.code, 'logo_invalid');
      assert.equal(res.body.errors[0].field, 'brand.logo');
    }
    assert.deepEqual(await brandOf(), before, 'nothing changed, not even the colour sent beside it');
  });

  it('shows logo, colour, support contact, terms, operator and what cancelling means on every step; each step has its own title and h1', async () => {
    const buyer = await createBuyer(t);
    const page = await HostedPage.fromForm(t, { LMI_PAYEE_PURSE: merchant.purse, LMI_PAYMENT_AMOUNT: '3.50', LMI_PAYMER_EMAIL: 'brand.buyer@example.com', LMI_LANG: 'ar-AE' });
    const b = await brandOf();
    const phoneStep = (await page.view().expect(200)).text;
    const checks = (html: string) => {
      assert.ok(html.includes(`<img class="brand-logo" src="${b.logo}" alt=""`), 'the logo');
      assert.ok(html.includes('<link rel="stylesheet" href="/brand/ffeb3b.css">'), 'the colour');
      assert.ok(html.includes('href="mailto:help@brand.example"'));
      assert.ok(html.includes('<bdi dir="ltr"><a href="tel:+49301234567" data-support-phone>+49301234567</a></bdi>'), 'the phone isolated left to right');
      assert.ok(html.includes('href="https://brand.example/terms"'));
      assert.ok(html.includes('<a href="https://operator.example/" rel="noreferrer" data-operator>Example Pay</a>'));
    };
    checks(phoneStep);
    assert.match(phoneStep, /<html lang="ar" dir="rtl">/);
    assert.match(phoneStep, /data-cancel-note>إذا ألغيت/);
    assert.match(phoneStep, /<title>الدفع بهاتفك – /);
    assert.match(phoneStep, /<h1 class="step-title" data-step-title>الدفع بهاتفك<\/h1>/);

    const badPhone = await page.submit('phone', { phone: '12' });
    assert.match(badPhone.text, /<title>خطأ – الدفع بهاتفك – /, 'an error shows in the title');

    const codeStep = (await page.follow(await page.submit('phone', { phone: buyer.phone }))).text;
    checks(codeStep);
    assert.match(codeStep, /<title>التأكيد بالرمز – /);
    assert.match(codeStep, /aria-live="polite" data-announce/);
    const wrong = await page.submit('code', { code: lastCode(t, buyer.phone) === '0000' ? '1111' : '0000' });
    assert.equal(wrong.status, 422);
    assert.match(wrong.text, /<title>رمز خاطئ – التأكيد بالرمز – /);

    const done = await page.follow(await page.submit('code', { code: lastCode(t, buyer.phone) }));
    checks(done.text);
    const token = /href="\/r\/([A-Za-z0-9_-]{22})"/.exec(done.text)![1]!;
    const receipt = (await t.http.get(`/r/${token}`).expect(200)).text;
    checks(receipt);
    assert.match(receipt, /data-field="phone"><dt>[^<]*<\/dt><dd><bdi dir="ltr">/, 'the masked phone isolated left to right');
    assert.match(receipt, /data-field="contact"><dt>[^<]*<\/dt><dd><bdi dir="ltr"><a href="mailto:help@brand.example"/, 'the support contact is the shop\'s own');

    await t.app.notifier.idle();
    const [mail] = smtp.to('brand.buyer@example.com');
    const html = String(mail!.parsed.html);
    assert.ok(html.includes(`src="${new URL(b.logo, t.config.publicUrl).toString()}"`), 'the mail shows the logo by its absolute URL');
    assert.ok(html.includes(`background: ${b.button_color}`), 'the colour on the mail\'s button');
    assert.ok(html.includes('mailto:help@brand.example') && html.includes('https://brand.example/terms'));
    assert.match(mail!.parsed.text!, /help@brand\.example/);
  });

  const postBrand = async (fields: Record<string, string>, file?: { name: string; bytes: Buffer; type: string }) => {
    const action = `/office/shops/${shopId}/brand`;
    const page = (await owner.agent.get(`/office/shops/${shopId}`).expect(200)).text;
    let req = owner.agent.post(action).field('_csrf', owner.csrf).field('_once', onceOf(page, action));
    for (const [k, v] of Object.entries({ color: '', support_email: '', support_phone: '', terms_url: '', ...fields })) req = req.field(k, v);
    if (file) req = req.attach('logo', file.bytes, { filename: file.name, contentType: file.type });
    return req;
  };

  it('an owner uploads a PNG logo and sets the brand in the office (multipart, no JavaScript); an oversize or wrong file is refused with 422 and nothing changes', async () => {
    const saved = await postBrand({ color: '#0b57d0', support_email: 'office@brand.example', terms_url: 'https://brand.example/t' }, { name: 'logo.png', bytes: PNG, type: 'image/png' });
    assert.equal(saved.status, 303, saved.text.slice(0, 500));
    const b = await brandOf();
    assert.match(b.logo, /\.png$/);
    assert.deepEqual([b.color, b.button_color, b.support_email, b.support_phone], ['#0b57d0', '#0b57d0', 'office@brand.example', null]);
    const png = await t.http.get(b.logo).expect(200);
    assert.equal(png.headers['content-type'], 'image/png');
    const shown = (await owner.agent.get(`/office/shops/${shopId}?saved=1`).expect(200)).text;
    assert.ok(shown.includes(`src="${b.logo}"`) && shown.includes('value="office@brand.example"'));

    for (const file of [{ name: 'big.png', bytes: Buffer.concat([PNG, Buffer.alloc(110 * 1024)]), type: 'image/png' }, { name: 'x.gif', bytes: Buffer.from('GIF89a....'), type: 'image/png' }]) {
      const refused = await postBrand({ color: '#123456' }, file);
      assert.equal(refused.status, 422);
      assert.match(refused.text, /id="brand-problem"/);
      assert.match(refused.text, /value="#123456"/, 'the form keeps what was typed');
    }
    assert.deepEqual(await brandOf(), b, 'nothing changed');

    const removed = await postBrand({ color: '#0b57d0', logo_remove: 'on' });
    assert.equal(removed.status, 303);
    assert.equal((await brandOf()).logo, null);
  });

  it('a new shop takes its brand in the same request; a bad logo creates no shop', async () => {
    const made = await api(t, merchant).post('/shops', { name: 'Second Brand', currency: 'USD', brand: { color: '#222222', logo: dataUrl('image/png', PNG) } }).expect(201);
    assert.equal(made.body.brand.color, '#222222');
    assert.match(made.body.brand.logo, new RegExp(`^/brand/${made.body.id}/[0-9a-f]{32}\\.png$`));
    const count = (await api(t, merchant).get('/shops')).body.data.length;
    const refused = await api(t, merchant).post('/shops', { name: 'Third Brand', currency: 'EUR', brand: { logo: dataUrl('image/gif', Buffer.from('GIF89a')) } });
    assert.equal(refused.status, 422);
    assert.equal((await api(t, merchant).get('/shops')).body.data.length, count);
  });

  it('a staff user cannot post the brand', async () => {
    const staff = await officeUser(t, merchant, 'staff');
    await staff.agent.post(`/office/shops/${shopId}/brand`).field('_csrf', staff.csrf).field('color', '#000000').expect(403);
  });

  it('a payment made before any brand shows the page without one', async () => {
    const plain = await createTestMerchant(t, { name: 'Plain Shop' });
    const { payment } = await payNow(t, plain, '1.00');
    assert.ok(payment.id);
    const page = await HostedPage.fromForm(t, { LMI_PAYEE_PURSE: plain.purse, LMI_PAYMENT_AMOUNT: '1.00' });
    const html = (await page.view().expect(200)).text;
    assert.ok(!html.includes('brand-logo') && !html.includes('/brand/') && !html.includes('data-support'));
    assert.ok(html.includes('data-operator>Example Pay</a>'), 'the operator is named on every shop\'s page');
  });
});
