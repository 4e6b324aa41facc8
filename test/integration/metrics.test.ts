import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startTestApp, useTestApp, type TestApp } from '../helpers/test-app.js';
import { createTestMerchant, createBuyer, lastCode, api } from '../helpers/merchant.js';
import { RecordingGateway } from '../helpers/recording-gateway.js';
import { Receiver } from '../helpers/receiver.js';

/** The value of one series in a Prometheus text exposition, or undefined when it is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('/metrics: business and health figures (issue #20)', () => {
  const gateway = new RecordingGateway('smsc-a');
  const t = useTestApp({ smsGateway: gateway, config: { notifyRetrySchedule: [30, 60] } });
  const receiver = new Receiver();
  before(() => receiver.start());
  after(() => receiver.stop());

  it('counts payments by status, confirm latency, codes, receipts, refunds, the outbox backlog and its dead', async () => {
    receiver.reply = () => ({ status: 503, body: 'busy' });
    const merchant = await createTestMerchant(t, { result_url: receiver.url('/result') });
    const buyer = await createBuyer(t, '50.00');
    const client = api(t, merchant);
    const created = await client.post('/payments', { payee_purse: merchant.purse, amount: '10.00', phone: buyer.phone }).expect(201);
    const id = created.body.id as string;
    await client.post(`/payments/${id}/confirm`, { code: lastCode(t, buyer.phone) === '0000' ? '1111' : '0000' }).expect(422);
    await client.post(`/payments/${id}/confirm`, { code: lastCode(t, buyer.phone) }).expect(200);
    await client.post(`/payments/${id}/refunds`, { amount: '2.50' }).expect(201);
    await t.app.notifier.idle();
    gateway.receipt(gateway.sent.length, true);
    gateway.receipt(1, false);
    t.clock.advance(20_000);

    let text = (await t.http.get('/metrics').expect(200)).text;
    assert.ok(sample(text, 'telepurse_payments{status="succeeded"}')! >= 1);
    assert.equal(sample(text, 'telepurse_confirm_duration_seconds_count{channel="api",outcome="paid"}'), 1);
    assert.equal(sample(text, 'telepurse_confirm_duration_seconds_count{channel="api",outcome="refused"}'), 1);
    assert.equal(sample(text, 'telepurse_sms_total{gateway="smsc-a",outcome="sent"}'), gateway.sent.length);
    assert.equal(sample(text, 'telepurse_sms_receipts_total{gateway="smsc-a",status="delivered"}'), 1);
    assert.equal(sample(text, 'telepurse_sms_receipts_total{gateway="smsc-a",status="undeliverable"}'), 1);
    assert.equal(sample(text, 'telepurse_refunds_total{currency="USD"}'), 1);
    assert.equal(sample(text, 'telepurse_refunded_minor_units_total{currency="USD"}'), 250);
    assert.ok(sample(text, 'telepurse_notifications_pending{kind="result"}')! >= 1, 'the Result waits for a retry');
    assert.ok(sample(text, 'telepurse_notifications_oldest_pending_seconds{kind="result"}')! >= 20, 'its age on the test clock');
    assert.ok(sample(text, 'telepurse_notification_attempts_total{kind="result",outcome="retry"}')! >= 1);

    // the Result gives up: the dead are counted where the operator looks
    for (const step of [31_000, 61_000]) {
      t.clock.advance(step);
      await t.app.notifier.sweep();
      await t.app.notifier.idle();
    }
    text = (await t.http.get('/metrics').expect(200)).text;
    assert.ok(sample(text, 'telepurse_notifications_dead{kind="result"}')! >= 1);
    assert.ok(sample(text, 'telepurse_notification_attempts_total{kind="result",outcome="dead"}')! >= 1);
    receiver.reply = () => ({ status: 200, body: 'OK' });
  });

  it('the Grafana dashboard in docs/ plots only series the service exports', async () => {
    const dashboard = JSON.parse(readFileSync(new URL('../../docs/grafana-dashboard.json', import.meta.url), 'utf8'));
    const text = (await t.http.get('/metrics').expect(200)).text;
    const exported = new Set([...text.matchAll(/^# TYPE (\S+) (\w+)/gm)].flatMap(([, name, type]) =>
      type === 'histogram' ? [`${name}_bucket`, `${name}_count`, `${name}_sum`] : [name!]));
    const exprs: string[] = dashboard.panels.flatMap((p: { targets?: { expr: string }[] }) => (p.targets ?? []).map((x) => x.expr));
    assert.ok(exprs.length >= 10, 'a panel for each figure');
    for (const expr of exprs) {
      for (const [name] of expr.matchAll(/\b(?:telepurse|http)_[a-z_]+/g)) assert.ok(exported.has(name), `${name} in "${expr}" is exported`);
    }
  });
});

describe('/metrics behind METRICS_TOKEN', () => {
  let t: TestApp;
  before(async () => (t = await startTestApp({ config: { metricsToken: 'metrics-token-0123456789' } })));
  after(() => t.close());

  it('answers the monitoring system only, and keeps /health and /ready open', async () => {
    const refused = await t.http.get('/metrics').expect(401);
    assert.equal(refused.headers['content-type'], 'application/problem+json');
    await t.http.get('/metrics').set('Authorization', 'Bearer wrong-token-0123456789').expect(401);
    const ok = await t.http.get('/metrics').set('Authorization', 'Bearer metrics-token-0123456789').expect(200);
    assert.match(ok.text, /telepurse_payments/);
    await t.http.get('/health').expect(200);
    await t.http.get('/ready').expect(200);
  });
});
