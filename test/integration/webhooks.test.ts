import assert from 'node:assert/strict';
import { Webhook } from 'standardwebhooks';
import { useTestApp } from '../helpers/test-app.js';
import { createTestMerchant, api, type TestMerchant } from '../helpers/merchant.js';
import { payNow } from '../helpers/payments.js';
import { Receiver } from '../helpers/receiver.js';
import { expireDuePayments } from '../../lib/use-cases/payments/expire-payments.js';
import { rememberSecret } from '../helpers/log-capture.js';
import { webhookHeaders } from '../../lib/notify/webhook-signature.js';

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

  it('signs payment.succeeded with the Standard Webhooks scheme (checked with the standardwebhooks package)', async () => {
    const merchant = await createTestMerchant(t, { result_url: receiver.url(), webhook_url: receiver.url('/hooks') });
    const { payment } = await payNow(t, merchant, '12.08', {}, { notified: true });
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
    await payNow(t, merchant, '12.08', { capture: 'manual' }, { notified: true });
    assert.deepEqual(receiver.requests.map((r) => r.path), ['/hooks']);
    const event = new Webhook(merchant.webhookSecret).verify(receiver.requests[0]!.body, receiver.requests[0]!.headers as Record<string, string>) as { type: string };
    assert.equal(event.type, 'payment.authorized');
  });
});

describe('webhook secret rotations: each old secret signs for its own 24 h, then is gone', () => {
  const receiver = new Receiver();
  const t = useTestApp();
  before(() => receiver.start());
  after(() => receiver.stop());

  const HOUR = 3_600_000;
  /** The secrets whose signature the webhook carries (checked by hand: the clock is not the real time). */
  const signers = (hook: { body: string; headers: Record<string, unknown> }, secrets: Record<string, string>) => {
    const h = hook.headers as Record<string, string>;
    const sent = h['webhook-signature']!.split(' ');
    return Object.entries(secrets).filter(([, secret]) => sent.includes(webhookHeaders(secret, h['webhook-id']!, hook.body, new Date(Number(h['webhook-timestamp']) * 1000))['webhook-signature']!)).map(([name]) => name);
  };

  async function signersNow(merchant: TestMerchant, secrets: Record<string, string>) {
    receiver.requests.length = 0;
    const client = api(t, merchant);
    const p = await client.post('/payments', { payee_purse: merchant.purse, amount: '1' }).expect(201);
    await client.post(`/payments/${p.body.id}/cancel`).expect(200);
    await t.app.notifier.idle();
    assert.equal(receiver.requests.length, 1);
    return signers(receiver.requests[0]!, secrets);
  }

  const retiredOf = async (shopId: string) =>
    (await t.database.db.raw<{ rows: { n: number }[] }>('select jsonb_array_length(retired_webhook_secrets) as n from shops where id = ?', [shopId])).rows[0]!.n;

  it('a second rotation within 24 h keeps the first secret for its own 24 h; the job clears each after its window', async () => {
    const merchant = await createTestMerchant(t, { webhook_url: receiver.url('/hooks') });
    const shopId = (await t.admin('get', `/admin/v1/merchants/${merchant.id}`)).body.shop_id as string;
    const rotate = async () => {
      const res = await api(t, merchant).post(`/shops/${shopId}/webhook_secret`).expect(200);
      rememberSecret(res.body.webhook_secret);
      return res.body.webhook_secret as string;
    };
    const s0 = merchant.webhookSecret;
    const s1 = await rotate();
    t.clock.advance(12 * HOUR);
    const s2 = await rotate();
    t.clock.advance(1 * HOUR);
    const all = { s0, s1, s2 };
    assert.deepEqual(await signersNow(merchant, all), ['s0', 's1', 's2'], 'the first secret still signs 13 h after its rotation');
    t.clock.advance(11 * HOUR + 1);
    assert.deepEqual(await signersNow(merchant, all), ['s1', 's2'], '24 h after the first rotation the first secret is gone');
    const cleanup = t.app.jobs.list.find((j) => j.name === 'clear-retired-webhook-secrets');
    assert.ok(cleanup, 'a job clears retired webhook secrets');
    await cleanup.run();
    assert.equal(await retiredOf(shopId), 1, 'the first secret is cleared from the database');
    t.clock.advance(12 * HOUR);
    assert.deepEqual(await signersNow(merchant, all), ['s2']);
    await Promise.all([cleanup.run(), cleanup.run()]);
    assert.equal(await retiredOf(shopId), 0, 'no old webhook secret stays after its window');
  });
});
