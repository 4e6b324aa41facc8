import assert from 'node:assert/strict';
import { useTestApp } from '../helpers/test-app.js';
import { HostedPage } from '../helpers/hosted-page.js';
import { lastCode } from '../helpers/merchant.js';
import { seedDemo, DEMO_MERCHANT_ID, DEMO_PHONE } from '../../lib/use-cases/operators/seed-demo.js';
import { query } from '../../lib/postgres/db.js';

describe('OpenAPI description, docs and the demo shop', () => {
  const t = useTestApp({ config: { publicUrl: 'http://127.0.0.1:9' }, demo: true });

  it('describes the JSON API in OpenAPI 3.1, generated from the validation schemas', async () => {
    const res = await t.http.get('/api/v1/openapi.json').expect(200);
    assert.equal(res.body.openapi, '3.1.0');
    const create = res.body.paths['/payments'].post;
    const schema = create.requestBody.content['application/json'].schema;
    assert.deepEqual(schema.required.sort(), ['amount', 'payee_purse']);
    assert.equal(schema.additionalProperties, false);
    assert.equal(schema.properties.send.enum.join(','), 'code,link');
    assert.ok(res.body.paths['/payments/{id}/confirm'].post.responses['422']);
    assert.ok(res.body.components.schemas.Payment.properties.transaction_no);
    for (const path of ['/payments', '/payments/{id}', '/payments/{id}/phone', '/payments/{id}/confirm', '/payments/{id}/resend', '/payments/{id}/cancel']) {
      assert.ok(res.body.paths[path], path);
    }
  });

  it('serves a docs page with every error code anchored, the references and the guides', async () => {
    const res = await t.http.get('/docs').expect(200);
    assert.match(res.text, /id="problem-code_invalid"/);
    assert.match(res.text, /href="\/docs\/api"/);
    assert.match(res.text, /href="\/docs\/guides\/form"/);
  });

  it('seeds the demo shop and phone once, and a buyer can pay from /demo with the code of the dev inbox', async () => {
    await seedDemo(t.app.deps);
    await seedDemo(t.app.deps);
    const [merchants] = await query<{ n: number }>(t.database.db, 'select count(*)::int as n from merchants where id = ?', [DEMO_MERCHANT_ID]);
    assert.equal(merchants!.n, 1);
    const phoneWallet = await query<{ balance: bigint }>(t.database.db, 'select balance from wallets where phone = ?', [DEMO_PHONE]);
    assert.deepEqual(phoneWallet.map((w) => w.balance), [100000n]);

    const shop = await t.http.get('/demo').expect(200);
    const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(shop.text)?.[1] ?? '';
    const page = await HostedPage.fromForm(t, {
      LMI_PAYEE_PURSE: field('LMI_PAYEE_PURSE'), LMI_PAYMENT_NO: field('LMI_PAYMENT_NO'), LMI_PAYMENT_DESC: field('LMI_PAYMENT_DESC'),
      order_ref: field('order_ref'), LMI_PAYMENT_AMOUNT: '12.08',
    });
    await page.submit('phone', { phone: '+1 202 555-0101' });
    const done = await page.follow(await page.submit('code', { code: lastCode(t, DEMO_PHONE) }));
    assert.equal(done.status, 200);
    assert.match(done.text, /action="http:\/\/127\.0\.0\.1:9\/demo\/success"/);
  });

  it("keeps the demo merchant's URLs in step with PUBLIC_URL when the service moves to another port", async () => {
    await seedDemo(t.app.deps);
    await seedDemo({ ...t.app.deps, config: { ...t.app.deps.config, publicUrl: 'http://localhost:3300' } });
    const [row] = await query<{ result_url: string; success_url: string; fail_url: string }>(t.database.db, 'select result_url, success_url, fail_url from shops where merchant_id = ?', [DEMO_MERCHANT_ID]);
    assert.deepEqual(row, { result_url: 'http://localhost:3300/demo/result', success_url: 'http://localhost:3300/demo/success', fail_url: 'http://localhost:3300/demo/fail' });
    await seedDemo(t.app.deps);
  });

  describe('the demo with the default limits of docs/merchant-guide.md#abuse-limits (issue 29: it locked a newcomer out)', () => {
    const d = useTestApp({ config: { publicUrl: 'http://127.0.0.1:9', limits: { codesPerClientPerHour: 10 }, codes: { maxCodesPerPhonePerHour: 5 } }, demo: true });

    it('lets a newcomer pay the demo shop twelve times in an hour from one address, asking for a new code each time', async () => {
      await seedDemo(d.app.deps);
      const shop = await d.http.get('/demo').expect(200);
      const typed = /<strong>(\+[\d ()-]+)<\/strong>/.exec(shop.text)![1]!;
      assert.equal(typed.replace(/\D/g, ''), DEMO_PHONE, 'the demo page names the demo phone');
      const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(shop.text)?.[1] ?? '';
      for (let i = 0; i < 12; i++) {
        const page = await HostedPage.fromForm(d, { LMI_PAYEE_PURSE: field('LMI_PAYEE_PURSE'), LMI_PAYMENT_NO: String(1000 + i), LMI_PAYMENT_AMOUNT: '1.00' });
        assert.equal((await page.submit('phone', { phone: typed })).status, 303, `payment ${i + 1}: the code was sent`);
        d.clock.advance(61_000); // past the resend cooldown
        assert.equal((await page.submit('resend')).status, 303, `payment ${i + 1}: a new code was sent`);
        const done = await page.follow(await page.submit('code', { code: lastCode(d, DEMO_PHONE) }));
        assert.match(done.text, /demo\/success/, `payment ${i + 1} succeeded`);
      }
    });
  });
});
