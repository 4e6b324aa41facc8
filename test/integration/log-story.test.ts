import assert from 'node:assert/strict';
import { useTestApp } from '../helpers/test-app.js';
import { createTestMerchant, createBuyer, lastCode } from '../helpers/merchant.js';
import { payNow } from '../helpers/payments.js';
import { HostedPage } from '../helpers/hosted-page.js';
import { Receiver } from '../helpers/receiver.js';
import { capturedLogLines } from '../helpers/log-capture.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { ServiceProcess } from '../helpers/service-process.js';

type Line = { msg: string; payment?: string; method?: string; route?: string; notification?: string; sms?: string };

/** Issue #20: `grep pay_…` tells a payment's story: every line about it carries its id. */
describe("a payment's log lines carry its id", () => {
  const t = useTestApp();
  const receiver = new Receiver();
  before(() => receiver.start());
  after(() => receiver.stop());

  const linesFrom = (start: number) => capturedLogLines.slice(start).map((l) => JSON.parse(l) as Line);

  it('through the API: the create (whose path has no id yet), the code SMS, the confirm and the Result', async () => {
    const merchant = await createTestMerchant(t, { result_url: receiver.url('/result') });
    const buyer = await createBuyer(t, '20.00');
    const start = capturedLogLines.length;
    const { payment } = await payNow(t, merchant, '3.00', {}, { buyer, notified: true });

    const story = linesFrom(start).filter((l) => l.payment === payment.id);
    const told = story.map((l) => (l.msg === 'request' ? `${l.method} ${l.route}` : l.msg));
    for (const step of ['POST /api/v1/payments', 'sms kept for the dev inbox', 'sms sent', 'POST /api/v1/payments/:id/confirm', 'notification attempt']) {
      assert.ok(told.includes(step), `"${step}" is in the story: ${told.join(' | ')}`);
    }
    const strays = linesFrom(start).filter((l) => !l.payment);
    assert.deepEqual(strays.map((l) => l.msg), [], 'no line of this payment lacks its id');
  });

  it('through the hosted page: the form post that creates the payment and each step', async () => {
    const merchant = await createTestMerchant(t, { result_url: receiver.url('/result'), success_url: 'https://shop.example.com/ok', fail_url: 'https://shop.example.com/no' });
    const buyer = await createBuyer(t, '20.00');
    const start = capturedLogLines.length;
    const page = await HostedPage.fromForm(t, { LMI_PAYEE_PURSE: merchant.purse, LMI_PAYMENT_AMOUNT: '2.00', LMI_PAYMENT_NO: '5' });
    await page.submit('phone', { phone: buyer.phone });
    await page.submit('code', { code: lastCode(t, buyer.phone) });
    await t.app.notifier.idle();
    const requests = linesFrom(start).filter((l) => l.msg === 'request');
    assert.ok(requests.length >= 4);
    for (const r of requests) assert.equal(r.payment, page.paymentId, `${r.method} ${r.route}`);
  });
});

describe('LOG_PRETTY: readable lines for a terminal (pino-pretty)', function () {
  this.timeout(90_000);
  let database: TestDatabase;
  let service: ServiceProcess | undefined;
  before(async () => (database = await createTestDatabase()));
  after(async () => {
    await service?.stop('SIGKILL');
    await database.drop();
  });

  it('writes coloured-free, timestamped lines instead of JSON', async () => {
    service = await new ServiceProcess({ DATABASE_URL: database.url, LOG_PRETTY: '1', LOG_LEVEL: 'info' }).start();
    await fetch(`${service.url}/health`);
    await service.stop();
    assert.match(service.output, /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: telepurse listening/m, service.output.slice(0, 2000));
    assert.match(service.output, /^\s+route: "\/health"$/m);
    assert.ok(!service.output.split('\n').some((l) => l.startsWith('{"level"')), 'no JSON line');
  });
});
