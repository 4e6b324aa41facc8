import assert from 'node:assert/strict';
import { Webhook } from 'standardwebhooks';
import { useTestApp } from '../helpers/test-app.js';
import { createTestMerchant, createBuyer, lastCode, api, type TestMerchant } from '../helpers/merchant.js';
import { Receiver } from '../helpers/receiver.js';
import { expireDuePayments } from '../../lib/use-cases/expire-payments.js';

describe('webhook events', () => {
  const receiver = new Receiver();
  // the standardwebhooks verifier checks timestamps against the real time, so this clock starts now
  // (and payments expire after a minute, so an expiry stays within the verifier's tolerance)
  const t = useTestApp({ clockStart: 'now', config: { paymentTtlSeconds: 60 } });

  before(() => receiver.start());
  after(() => receiver.stop());
  beforeEach(() => {
    receiver.requests.length = 0;
  });

  async function payByApi(merchant: TestMerchant, body: Record<string, unknown> = {}) {
    const buyer = await createBuyer(t, '100.00');
    const client = api(t, merchant);
    const p = await client.post('/payments', { payee_purse: merchant.purse, amount: '12.08', phone: buyer.phone, ...body }).expect(201);
    const paid = await client.post(`/payments/${p.body.id}/confirm`, { code: lastCode(t, buyer.phone) }).expect(200);
    await t.app.notifier.idle();
    return { payment: paid.body, buyer };
  }

  it('signs payment.succeeded with the Standard Webhooks scheme (checked with the standardwebhooks package)', async () => {
    const merchant = await createTestMerchant(t, { result_url: receiver.url(), webhook_url: receiver.url('/hooks') });
    const { payment } = await payByApi(merchant);
    const hook = receiver.requests.find((r) => r.path === '/hooks')!;
    const event = new Webhook(merchant.webhookSecret).verify(hook.body, hook.headers as Record<string, string>) as { type: string; id: string; data: { id: string; status: string } };
    assert.equal(event.type, 'payment.succeeded');
    assert.equal(event.id, hook.headers['webhook-id']);
    assert.deepEqual([event.data.id, event.data.status], [payment.id, 'succeeded']);
    assert.throws(() => new Webhook(merchant.webhookSecret).verify(hook.body.replace('succeeded', 'failed'), hook.headers as Record<string, string>));
  });

  it('sends payment.failed when a payment is cancelled or expires (the buyer may never reach the Fail URL)', async () => {
    const merchant = await createTestMerchant(t, { webhook_url: receiver.url('/hooks') });
    const client = api(t, merchant);
    const cancelled = await client.post('/payments', { payee_purse: merchant.purse, amount: '1' }).expect(201);
    await client.post(`/payments/${cancelled.body.id}/cancel`).expect(200);
    await t.app.notifier.idle();
    const expiring = await client.post('/payments', { payee_purse: merchant.purse, amount: '1' }).expect(201);
    t.clock.advanceSeconds(61);
    await expireDuePayments(t.app.deps);
    await t.app.notifier.idle();
    const events = receiver.requests.map((r) => new Webhook(merchant.webhookSecret).verify(r.body, r.headers as Record<string, string>) as { type: string; data: { id: string; status: string; failure_reason: string } });
    assert.deepEqual(events.map((e) => [e.type, e.data.id, e.data.status, e.data.failure_reason]), [
      ['payment.failed', cancelled.body.id, 'failed', 'cancelled'],
      ['payment.failed', expiring.body.id, 'expired', null],
    ]);
  });

  it('sends payment.authorized for a manual-capture payment, and no Result notification yet', async () => {
    const merchant = await createTestMerchant(t, { result_url: receiver.url(), webhook_url: receiver.url('/hooks') });
    await payByApi(merchant, { capture: 'manual' });
    assert.deepEqual(receiver.requests.map((r) => r.path), ['/hooks']);
    const event = new Webhook(merchant.webhookSecret).verify(receiver.requests[0]!.body, receiver.requests[0]!.headers as Record<string, string>) as { type: string };
    assert.equal(event.type, 'payment.authorized');
  });
});
