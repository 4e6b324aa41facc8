import assert from 'node:assert/strict';
import { useTestApp } from '../helpers/test-app.js';
import { createTestMerchant, createBuyer, api, lastCode } from '../helpers/merchant.js';
import { walletBalance } from '../helpers/payments.js';
import { HostedPage } from '../helpers/hosted-page.js';
import { Receiver } from '../helpers/receiver.js';
import { query } from '../../lib/postgres/db.js';
import { DnsStub } from '../helpers/dns-stub.js';

/** docs/merchant-guide.md#the-result-notification: each phone that is to receive a code passes the merchant's pre-request, a changed phone included. */
describe('the pre-request asks for every phone', () => {
  const t = useTestApp();
  const receiver = new Receiver();
  const approved = new Set<string>();
  before(async () => {
    await receiver.start();
    receiver.reply = (req) => {
      const f = new URLSearchParams(req.body);
      if (f.get('LMI_PREREQUEST') !== '1') return { status: 200, body: 'OK' };
      // refusals are slow: approvals come back while a refused phone is the latest one written on the payment
      const yes = approved.has(f.get('LMI_TELEPAT_PHONENUMBER') ?? '');
      return { status: 200, body: yes ? 'YES' : 'NO', delayMs: yes ? 150 : 400 };
    };
  });
  after(() => receiver.stop());

  const asked = () => receiver.requests.map((r) => new URLSearchParams(r.body)).filter((f) => f.get('LMI_PREREQUEST') === '1').map((f) => f.get('LMI_TELEPAT_PHONENUMBER'));
  const smsTo = (phone: string) => t.app.sms.devInbox.inbox(`+${phone}`).length;

  it('"use another phone" on the hosted page asks again; a phone the merchant refuses gets no code and cannot pay', async () => {
    const merchant = await createTestMerchant(t, { result_url: receiver.url(), prerequest: true });
    const a = await createBuyer(t);
    const b = await createBuyer(t);
    approved.add(a.phone);
    receiver.requests.length = 0;
    const page = await HostedPage.fromForm(t, { LMI_PAYEE_PURSE: merchant.purse, LMI_PAYMENT_AMOUNT: '2.00' });
    await page.submit('phone', { phone: a.phone });
    assert.equal(smsTo(a.phone), 1);
    const changed = await page.follow(await page.submit('phone', { phone: b.phone }));
    assert.deepEqual(asked(), [a.phone, b.phone], 'the merchant was asked about B too');
    assert.equal(smsTo(b.phone), 0, 'B got no code');
    assert.match(changed.text, /Payment not completed/);
    const [row] = await query<{ status: string; failure_reason: string }>(t.database.db, 'select status, failure_reason from payments where id = ?', [page.paymentId]);
    assert.deepEqual([row!.status, row!.failure_reason], ['failed', 'declined_by_merchant']);
    assert.equal(await walletBalance(t, b.purse), '100.00');
  });

  it('an approved change of phone pays from the new phone, after asking for it', async () => {
    const merchant = await createTestMerchant(t, { result_url: receiver.url(), prerequest: true });
    const a = await createBuyer(t);
    const b = await createBuyer(t);
    approved.add(a.phone).add(b.phone);
    receiver.requests.length = 0;
    const client = api(t, merchant);
    const p = await client.post('/payments', { payee_purse: merchant.purse, amount: '2.00', phone: a.phone }).expect(201);
    await client.post(`/payments/${p.body.id}/phone`, { phone: b.phone }).expect(200);
    t.clock.advanceSeconds(30);
    await client.post(`/payments/${p.body.id}/resend`).expect(200);
    assert.deepEqual(asked(), [a.phone, b.phone], 'once per phone: the resend to the approved phone does not ask again');
    const paid = await client.post(`/payments/${p.body.id}/confirm`, { code: lastCode(t, b.phone) }).expect(200);
    assert.equal(paid.body.payer_purse, b.purse);
  });

  it('racing phone changes: every phone that receives a code was approved for itself', async () => {
    const merchant = await createTestMerchant(t, { result_url: receiver.url(), prerequest: true, allowed_hosts: ['127.0.0.1'] });
    const client = api(t, merchant);
    for (let round = 0; round < 3; round++) {
      const good = await createBuyer(t);
      const bad = await Promise.all([createBuyer(t), createBuyer(t)]);
      approved.add(good.phone);
      const p = await client.post('/payments', { payee_purse: merchant.purse, amount: '2.00' }).expect(201);
      // while the merchant considers the approved phone, refused phones are typed and written on the payment
      const approvedChange = client.post(`/payments/${p.body.id}/phone`, { phone: good.phone }).then((r) => r);
      await new Promise((r) => setTimeout(r, 40));
      await Promise.all([approvedChange, ...bad.map((buyer) => client.post(`/payments/${p.body.id}/phone`, { phone: buyer.phone }).then((r) => r))]);
      for (const buyer of bad) assert.equal(smsTo(buyer.phone), 0, `refused phone ${buyer.phone} got no code`);
      const codes = await query<{ phone: string }>(t.database.db, 'select phone from payment_codes where payment_id = ?', [p.body.id]);
      for (const { phone } of codes) assert.ok(approved.has(phone), `a code went to ${phone} without approval`);
    }
  });
});

/** DNS_SERVERS names the resolver of every merchant host, the pre-request's included, private callbacks allowed or not. */
describe('the pre-request resolves the Result URL through DNS_SERVERS', () => {
  const dns = new DnsStub({ 'shop.merchant.test': { a: ['127.0.0.1'] } });
  const config: Record<string, unknown> = { allowPrivateCallbacks: true };
  before(async () => {
    await dns.start();
    config.dnsServers = [dns.server];
  });
  after(() => dns.stop());
  const t = useTestApp({ config });
  const receiver = new Receiver();
  before(async () => {
    await receiver.start();
    receiver.reply = () => ({ status: 200, body: 'YES' });
  });
  after(() => receiver.stop());

  it('asks the name the stub alone knows, and the code goes out', async () => {
    const url = new URL(receiver.url());
    url.hostname = 'shop.merchant.test';
    const merchant = await createTestMerchant(t, { result_url: url.toString(), prerequest: true });
    const buyer = await createBuyer(t);
    await api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount: '1.00', phone: buyer.phone }).expect(201);
    assert.ok(dns.questions >= 1, 'the stub was asked');
    assert.equal(receiver.requests.filter((r) => new URLSearchParams(r.body).get('LMI_PREREQUEST') === '1').length, 1, 'the merchant was asked');
    assert.ok(lastCode(t, buyer.phone), 'the approved phone got its code');
  });
});
