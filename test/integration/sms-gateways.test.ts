import assert from 'node:assert/strict';
import { useTestApp } from '../helpers/test-app.js';
import { Receiver } from '../helpers/receiver.js';
import { FakeSmsc } from '../helpers/fake-smsc.js';
import { freePort } from '../../tools/postgres.js';
import { captureLogger, capturedLogLines, rememberCode } from '../helpers/log-capture.js';
import { createTestMerchant, createBuyer, api } from '../helpers/merchant.js';
import { HttpGateway } from '../../lib/sms/http-gateway.js';
import { SmppGateway } from '../../lib/sms/smpp-gateway.js';
import { FailoverGateway } from '../../lib/sms/failover.js';
import { SmsSendError, type DeliveryReceipt } from '../../lib/sms/gateway.js';
import { query } from '../../lib/postgres/db.js';
import { eventually } from '../helpers/process.js';

const sms = (text = 'hello', to = '+79031234567') => ({ to, text, reference: 'sms_test' });

/** A fake SMSC and an SMPP gateway bound to it, for one describe block; `gateway` is what a test app sends through. */
function useSmsc() {
  const smsc = new FakeSmsc();
  let bound: SmppGateway | undefined;
  before(async () => {
    await smsc.start();
    bound = new SmppGateway({ url: smsc.url(), log: captureLogger(), timeoutMs: 2000 });
  });
  after(async () => {
    await bound?.close();
    await smsc.stop();
  });
  const gateway = {
    name: 'smpp',
    send: (m: Parameters<SmppGateway['send']>[0]) => bound!.send(m),
    onReceipt: (listener: Parameters<SmppGateway['onReceipt']>[0]) => bound!.onReceipt(listener),
  };
  return { smsc, gateway };
}

describe('SMS gateways', function () {
  this.timeout(60_000);

  describe('http (docs/operator-guide.md#sms-gateways) against a real HTTP server', () => {
    const server = new Receiver();
    before(() => server.start());
    after(() => server.stop());
    beforeEach(() => (server.requests.length = 0));
    const gateway = (timeoutMs = 2000) => new HttpGateway({ url: server.url('/sms'), token: 'gw-token', timeoutMs, retries: 2, backoffMs: 10 });

    it('posts {to, text, reference} with the bearer token; any 2xx is accepted', async () => {
      server.reply = () => ({ status: 202, body: JSON.stringify({ id: 'gw-77' }), headers: { 'Content-Type': 'application/json' } });
      const result = await gateway().send(sms('Код 1234'));
      assert.deepEqual(result, { gateway: 'http', gatewayMessageId: 'gw-77' });
      const [req] = server.requests;
      assert.equal(req!.headers.authorization, 'Bearer gw-token');
      assert.equal(req!.headers['content-type'], 'application/json');
      assert.deepEqual(JSON.parse(req!.body), { to: '+79031234567', text: 'Код 1234', reference: 'sms_test' });
    });

    it('retries a 5xx with backoff and succeeds', async () => {
      let n = 0;
      server.reply = () => (++n < 3 ? { status: 503 } : { status: 200, body: 'ok' });
      await gateway().send(sms());
      assert.equal(server.requests.length, 3);
    });

    it('treats a 4xx as permanent: no retry', async () => {
      server.reply = () => ({ status: 400, body: 'bad number' });
      await assert.rejects(gateway().send(sms()), (err: SmsSendError) => err instanceof SmsSendError && !err.retryable && /400/.test(err.message));
      assert.equal(server.requests.length, 1);
    });

    it('gives up on a gateway that does not answer at the deadline, without sending again (the message may be out)', async () => {
      server.reply = () => 'hang';
      const started = Date.now();
      await assert.rejects(gateway(200).send(sms()), (err: SmsSendError) => /no answer within 200 ms/.test(err.message) && err.ambiguous);
      assert.equal(server.requests.length, 1);
      assert.ok(Date.now() - started < 3000);
    });

    it('retries a gateway that cannot be reached (nothing went out)', async () => {
      const deadPort = await freePort();
      const down = new HttpGateway({ url: `http://127.0.0.1:${deadPort}/sms`, token: null, timeoutMs: 200, retries: 2, backoffMs: 10 });
      await assert.rejects(down.send(sms()), (err: SmsSendError) => /unreachable/.test(err.message) && err.retryable && !err.ambiguous);
    });
  });

  describe('smpp against a real SMPP server on loopback', () => {
    const smsc = new FakeSmsc();
    let gateway: SmppGateway;
    const receipts: DeliveryReceipt[] = [];
    before(async () => {
      await smsc.start();
      gateway = new SmppGateway({ url: smsc.url(), log: captureLogger(), timeoutMs: 2000, enquireLinkMs: 500 });
      gateway.onReceipt((r) => void receipts.push(r));
    });
    after(async () => {
      await gateway.close();
      await smsc.stop();
    });

    it('binds as transceiver, submits with a receipt request, and reports the delivery receipt', async () => {
      const result = await gateway.send(sms('Your code is 1234'));
      assert.equal(smsc.binds, 1);
      const [sub] = smsc.submitted;
      assert.deepEqual([sub!.to, sub!.text, sub!.dataCoding, sub!.esmClass], ['79031234567', 'Your code is 1234', 0, 0]);
      assert.equal(result.gatewayMessageId, sub!.messageId);
      const receipt = await eventually(() => receipts.find((r) => r.gatewayMessageId === sub!.messageId));
      assert.deepEqual(receipt, { gateway: 'smpp', gatewayMessageId: sub!.messageId, phone: '79031234567', delivered: true, error: null });
    });

    it('sends Cyrillic and Arabic as UCS-2, and long texts as concatenated parts, intact', async () => {
      smsc.submitted.length = 0;
      const cyrillic = '1234 — ваш код для оплаты 12.08 USD в Демо-магазин. Никому его не сообщайте.';
      const arabic = '1234 هو رمزك لدفع 12.08 USD إلى متجر تجريبي. لا تشاركه مع أحد.';
      const long = `Длинное сообщение: ${'проверка '.repeat(30)}конец 🙂`;
      const longGsm = `Long message: ${'check '.repeat(40)}end`;
      for (const text of [cyrillic, arabic, long, longGsm]) await gateway.send(sms(text));
      assert.deepEqual(smsc.texts(), [cyrillic, arabic, long, longGsm]);
      assert.equal(smsc.submitted[0]!.dataCoding, 8);
      assert.equal(smsc.submitted[1]!.dataCoding, 8);
      const longParts = smsc.submitted.filter((s) => s.udh && s.dataCoding === 8);
      assert.ok(longParts.length >= 5 && longParts.every((p) => p.esmClass & 0x40));
      assert.ok(smsc.submitted.some((s) => s.udh && s.dataCoding === 0), 'long GSM text split too');
    });

    it('rebinds after the SMSC drops and comes back, and the next send succeeds', async () => {
      const port = smsc.port;
      await smsc.stop();
      await assert.rejects(gateway.send(sms('while down')), SmsSendError);
      await smsc.start(port);
      await eventually(() => (smsc.binds >= 2 ? true : undefined), 10_000);
      await gateway.send(sms('after the restart'));
      assert.equal(smsc.texts().at(-1), 'after the restart');
    });

    it('refuses a wrong password at bind', async () => {
      const wrong = new SmppGateway({ url: smsc.url().replace(':secret@', ':wrong@'), log: captureLogger(), timeoutMs: 1000 });
      await assert.rejects(wrong.send(sms()), /bind refused/);
      await wrong.close();
    });
  });

  describe('failover', () => {
    const server = new Receiver();
    before(() => server.start());
    after(() => server.stop());

    it('tries the next gateway when the first is down (SMS_GATEWAY=smpp,http)', async () => {
      const deadPort = await freePort();
      const down = new SmppGateway({ url: `smpp://a:b@127.0.0.1:${deadPort}`, log: captureLogger(), timeoutMs: 500 });
      const gateway = new FailoverGateway([down, new HttpGateway({ url: server.url('/sms'), token: null, timeoutMs: 1000, retries: 0, backoffMs: 0 })], captureLogger());
      const result = await gateway.send(sms('via http'));
      assert.equal(result.gateway, 'http');
      assert.equal(JSON.parse(server.requests[0]!.body).text, 'via http');
      await gateway.close();
    });
  });

  describe('through the pay flow: every message recorded, receipts matched', () => {
    const { smsc, gateway: smppGateway } = useSmsc();
    const holder: { t?: ReturnType<typeof useTestApp> } = {};
    describe('', () => {
      const t = useTestApp({ smsGateway: smppGateway });
      holder.t = t;

      it('queued → sent → delivered, with the gateway id, on the payment and in the admin API; the code is never logged', async () => {
        const merchant = await createTestMerchant(t);
        const buyer = await createBuyer(t);
        const p = await api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount: '12.08', phone: buyer.phone }).expect(201);
        const code = /^(\d{4}) is your code/.exec(smsc.texts().at(-1)!)![1]!;
        rememberCode(code);
        const delivered = await eventually(async () => {
          const [row] = await query<{ status: string }>(t.database.db, 'select status from sms_messages where payment_id = ?', [p.body.id]);
          return row?.status === 'delivered' ? row : undefined;
        });
        assert.equal(delivered.status, 'delivered');
        const messages = await api(t, merchant).get(`/payments/${p.body.id}/messages`).expect(200);
        const [m] = messages.body.data;
        assert.deepEqual([m.status, m.gateway, m.gateway_message_id, m.kind], ['delivered', 'smpp', smsc.submitted.at(-1)!.messageId, 'code']);
        assert.match(m.text, /^•••• is your code to pay 12\.08 USD/);
        assert.ok(!JSON.stringify(messages.body).includes(code));
        const admin = await t.admin('get', `/admin/v1/messages?payment_id=${p.body.id}`).expect(200);
        assert.equal(admin.body.data[0].status, 'delivered');
        assert.match(admin.body.data[0].phone, /\*/);
      });

      it('records an undeliverable receipt as failed', async () => {
        smsc.receiptState = 'UNDELIV';
        try {
          const merchant = await createTestMerchant(t);
          const buyer = await createBuyer(t);
          const p = await api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount: '1', phone: buyer.phone }).expect(201);
          rememberCode(/^(\d{4})/.exec(smsc.texts().at(-1)!)![1]!);
          const row = await eventually(async () => {
            const [r] = await query<{ status: string; error: string }>(t.database.db, 'select status, error from sms_messages where payment_id = ?', [p.body.id]);
            return r?.status === 'failed' ? r : undefined;
          });
          assert.equal(row.error, 'UNDELIV');
        } finally {
          smsc.receiptState = 'DELIVRD';
        }
      });
    });
  });
});

/** Fails when `work` is still running after `ms` (a hung call fails the test instead of hanging it). */
function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`still running after ${ms} ms`)), ms)));
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

const codeIn = (text: string) => /^(\d{4}) is your code/.exec(text)?.[1];

async function smsRows(t: ReturnType<typeof useTestApp>, paymentId: string) {
  return query<{ status: string; kind: string; error: string | null }>(t.database.db, 'select status, kind, error from sms_messages where payment_id = ? order by seq', [paymentId]);
}

describe('SMS gateways facing a broken or hostile peer (issue 29)', function () {
  this.timeout(30_000);

  describe('http: one overall deadline per try, bytes capped, never re-sent once the body went out', () => {
    const server = new Receiver();
    before(() => server.start());
    after(() => server.stop());
    beforeEach(() => (server.requests.length = 0));
    const gateway = (o: Partial<ConstructorParameters<typeof HttpGateway>[0]> = {}) =>
      new HttpGateway({ url: server.url('/sms'), token: null, timeoutMs: 300, retries: 2, backoffMs: 10, ...o });

    it('a peer that answers 200 and then trickles one byte every 100 ms: the send ends at the deadline, accepted, with one POST', async () => {
      server.reply = () => ({ status: 200, trickleMs: 100 });
      const started = Date.now();
      const result = await within(3000, gateway().send(sms()));
      assert.deepEqual(result, { gateway: 'http', gatewayMessageId: null });
      assert.ok(Date.now() - started < 1500, `took ${Date.now() - started} ms`);
      assert.equal(server.requests.length, 1);
    });

    it('a body with no end is not read past the cap', async () => {
      server.reply = () => ({ status: 200, endless: true });
      const result = await within(3000, gateway({ timeoutMs: 2000 }).send(sms()));
      assert.equal(result.gateway, 'http');
      assert.equal(server.requests.length, 1);
    });

    it('a peer slower than the deadline gets the message once, and the send is reported as ambiguous', async () => {
      server.reply = () => ({ status: 200, delayMs: 1000 });
      await assert.rejects(within(3000, gateway().send(sms())), (err: SmsSendError) => err instanceof SmsSendError && err.ambiguous && !err.retryable);
      assert.equal(server.requests.length, 1);
    });

    it('a peer that cuts the connection after the 200 gets the message once (accepted)', async () => {
      server.reply = () => ({ status: 200, cut: true });
      const result = await within(3000, gateway().send(sms()));
      assert.equal(result.gateway, 'http');
      assert.equal(server.requests.length, 1);
    });

    it('a 500 after the body went out is not re-sent; 503 and 429 (not taken) are', async () => {
      server.reply = () => ({ status: 500 });
      await assert.rejects(gateway().send(sms()), (err: SmsSendError) => err.ambiguous);
      assert.equal(server.requests.length, 1);
      server.requests.length = 0;
      let n = 0;
      server.reply = () => (++n < 3 ? { status: n === 1 ? 429 : 503 } : { status: 200 });
      await gateway().send(sms());
      assert.equal(server.requests.length, 3);
    });

    it('SMS_HTTP_IDEMPOTENT: a gateway that takes reference as an idempotency key may get the same message again', async () => {
      server.reply = () => ({ status: 200, delayMs: 1000 });
      await assert.rejects(within(5000, gateway({ idempotent: true }).send(sms())), (err: SmsSendError) => err.ambiguous);
      assert.equal(server.requests.length, 3);
      assert.deepEqual(new Set(server.requests.map((r) => JSON.parse(r.body).reference)), new Set(['sms_test']));
    });

    it('the outbox lease is longer than the worst send of the configured gateways', async () => {
      const { loadConfig } = await import('../../lib/config.js');
      const { deliveryLeaseMs } = await import('../../lib/notify/outbox.js');
      const { buildLiveGateway } = await import('../../lib/sms/build-gateway.js');
      const { LogGateway } = await import('../../lib/sms/log-gateway.js');
      for (const env of [{ SMS_GATEWAY: 'http' }, { SMS_GATEWAY: 'smpp,http' }, { SMS_GATEWAY: 'http', SMS_HTTP_IDEMPOTENT: 'true', SMS_HTTP_TIMEOUT_MS: '9000' }]) {
        const config = loadConfig({ NODE_ENV: 'test', SMS_HTTP_URL: 'https://sms.example.com/send', SMPP_URL: 'smpp://a:b@127.0.0.1:9', ...env }, {});
        const log = captureLogger();
        const gateway = buildLiveGateway(config, log, new LogGateway(log, () => new Date()));
        assert.ok(deliveryLeaseMs(config) > gateway.worstSendMs!, `${JSON.stringify(env)}: lease ${deliveryLeaseMs(config)} ms, worst send ${gateway.worstSendMs} ms`);
        await gateway.close?.();
      }
    });
  });

  describe('through the service with a slow or trickling HTTP gateway', () => {
    const server = new Receiver();
    before(() => server.start());
    after(() => server.stop());
    beforeEach(() => {
      server.requests.length = 0;
      server.reply = () => ({ status: 200, body: '{"id":"gw-1"}' });
    });
    let gateway: HttpGateway;
    before(() => (gateway = new HttpGateway({ url: server.url('/sms'), token: null, timeoutMs: 300, retries: 2, backoffMs: 10 })));
    const t = useTestApp({ smsGateway: { name: 'http', send: (m) => gateway.send(m) } });
    const sends = () => server.requests.map((r) => JSON.parse(r.body) as { to: string; text: string; reference: string });

    it('a trickling gateway does not hang the API call', async () => {
      server.reply = () => ({ status: 200, trickleMs: 100 });
      const merchant = await createTestMerchant(t);
      const buyer = await createBuyer(t);
      const started = Date.now();
      await within(5000, api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount: '1.00', phone: buyer.phone }).expect(201).then((r) => r));
      assert.ok(Date.now() - started < 3000);
      rememberCode(codeIn(sends().at(-1)!.text)!);
    });

    it('a slow gateway: one POST per send, recorded as unknown, and counted against the per-payment and per-phone caps', async () => {
      server.reply = () => ({ status: 200, delayMs: 800 });
      const merchant = await createTestMerchant(t);
      const buyer = await createBuyer(t);
      const p = await within(5000, api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount: '1.00', phone: buyer.phone }).then((r) => r));
      assert.equal(p.status, 201, JSON.stringify(p.body));
      for (let i = 0; i < 2; i++) {
        t.clock.advanceSeconds(31);
        await api(t, merchant).post(`/payments/${p.body.id}/resend`).expect(200);
      }
      t.clock.advanceSeconds(31);
      const fourth = await api(t, merchant).post(`/payments/${p.body.id}/resend`).expect(429);
      assert.equal(fourth.body.code, 'too_many_attempts');
      assert.equal(server.requests.length, 3, 'one POST per send');
      assert.deepEqual((await smsRows(t, p.body.id)).map((r) => r.status), ['unknown', 'unknown', 'unknown']);
      // the per-phone cap (5 an hour) counts the ambiguous sends too
      const q = await api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount: '1.00', phone: buyer.phone }).expect(201);
      t.clock.advanceSeconds(31);
      await api(t, merchant).post(`/payments/${q.body.id}/resend`).expect(200);
      const sixth = await api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount: '1.00', phone: buyer.phone }).expect(429);
      assert.equal(sixth.body.code, 'rate_limited');
      assert.equal(server.requests.length, 5);
      for (const s of sends()) rememberCode(codeIn(s.text)!);
    });

    it('a refund notice goes out at most once, whatever the gateway does', async () => {
      const merchant = await createTestMerchant(t);
      const buyer = await createBuyer(t);
      const p = await api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount: '5.00', phone: buyer.phone }).expect(201);
      const code = codeIn(sends().at(-1)!.text)!;
      rememberCode(code);
      await api(t, merchant).post(`/payments/${p.body.id}/confirm`, { code }).expect(200);
      await t.app.notifier.idle(); // the payment's own receipt (docs/buyer-guide.md#receipts) is not the refund's notice
      server.requests.length = 0;
      server.reply = () => ({ status: 200, delayMs: 800 });
      await api(t, merchant).post(`/payments/${p.body.id}/refunds`, { amount: '1.00' }).expect(201);
      await t.app.notifier.idle();
      for (let i = 0; i < 5; i++) {
        t.clock.advanceSeconds(6 * 3600);
        await t.app.notifier.sweep();
      }
      const refundPosts = sends().filter((s) => s.to === `+${buyer.phone}`);
      assert.equal(refundPosts.length, 1, 'one POST for the refund notice');
      const rows = await smsRows(t, p.body.id);
      assert.deepEqual(rows.filter((r) => r.kind === 'refund').map((r) => r.status), ['unknown']);
    });

    it('a job that hangs does not stop its later runs', async () => {
      const { createJobs } = await import('../../lib/jobs/schedule.js');
      const jobs = createJobs(t.app.deps);
      let runs = 0;
      jobs.list.splice(0, jobs.list.length, { name: 'hanging', schedule: '* * * * * *', maxMs: 200, run: () => (runs++, new Promise(() => {})) });
      jobs.start();
      try {
        await eventually(() => (runs >= 2 ? true : undefined), 4000);
      } finally {
        await jobs.stop();
      }
    });
  });

  describe('smpp: receipts queued, matched by phone and time, half-open links and bind failures', () => {
    const { smsc, gateway: smppGateway } = useSmsc();
    afterEach(() => {
      smsc.autoReceipts = true;
      smsc.receiptState = 'DELIVRD';
    });
    const t = useTestApp({ smsGateway: smppGateway });
    const statusOf = async (paymentId: string) => (await smsRows(t, paymentId))[0]?.status;
    const pay = async (merchant: Awaited<ReturnType<typeof createTestMerchant>>, phone: string) => {
      const p = await api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount: '1.00', phone }).expect(201);
      rememberCode(codeIn(smsc.texts().at(-1)!)!);
      return { id: p.body.id as string, messageId: smsc.submitted.at(-1)!.messageId };
    };

    it('a flood of 20,000 receipts: the pool stays bounded, the API answers, the real receipts in it are recorded', async () => {
      smsc.autoReceipts = false;
      const merchant = await createTestMerchant(t);
      const a = await createBuyer(t);
      const b = await createBuyer(t);
      const pa = await pay(merchant, a.phone);
      const pb = await pay(merchant, b.phone);
      const pool = (t.database.db.client as { pool: { numPendingAcquires(): number } }).pool;
      let maxWaiting = 0;
      const sampler = setInterval(() => (maxWaiting = Math.max(maxWaiting, pool.numPendingAcquires())), 2);
      try {
        smsc.flood(20_000, (i) =>
          i === 7000 ? { messageId: pa.messageId, to: a.phone } : i === 14_000 ? { messageId: pb.messageId, to: b.phone, state: 'UNDELIV' } : { messageId: `junk-${i}`, to: `+7999${String(i).padStart(7, '0')}` });
        await new Promise((r) => setTimeout(r, 50));
        const started = Date.now();
        // (the flood is parsed on this test's own event loop, on a shared machine: seconds, not the minutes of an unbounded queue)
        await within(8000, api(t, merchant).get(`/payments/${pa.id}`).expect(200).then(() => undefined));
        const apiMs = Date.now() - started;
        await eventually(async () => ((await statusOf(pa.id)) === 'delivered' && (await statusOf(pb.id)) === 'failed' ? true : undefined), 15_000);
        assert.ok(apiMs < 4000, `the API answered in ${apiMs} ms`);
      } finally {
        clearInterval(sampler);
      }
      assert.ok(maxWaiting <= 4, `at most 4 waiting for a connection, saw ${maxWaiting}`);
    });

    it('a receipt changes only the newest message to its phone with that id, within 72 hours', async () => {
      smsc.autoReceipts = false;
      const merchant = await createTestMerchant(t);
      const [a, b, c] = [await createBuyer(t), await createBuyer(t), await createBuyer(t)];
      smsc.resetIds();
      const p1 = await pay(merchant, a.phone);
      smsc.resetIds();
      const p2 = await pay(merchant, b.phone);
      smsc.resetIds();
      const p3 = await pay(merchant, b.phone);
      assert.deepEqual([p1.messageId, p2.messageId, p3.messageId], ['smsc-1', 'smsc-1', 'smsc-1'], 'the SMSC reuses its ids');
      smsc.receipt('smsc-1', b.phone, 'UNDELIV');
      await eventually(async () => ((await statusOf(p3.id)) === 'failed' ? true : undefined));
      assert.deepEqual([await statusOf(p1.id), await statusOf(p2.id)], ['sent', 'sent']);
      // 73 hours later the same id from a's phone matches nothing: a's message is too old
      t.clock.advanceSeconds(73 * 3600);
      smsc.resetIds();
      const p4 = await pay(merchant, c.phone);
      smsc.receipt('smsc-1', a.phone, 'UNDELIV');
      smsc.receipt('smsc-1', c.phone, 'DELIVRD');
      await eventually(async () => ((await statusOf(p4.id)) === 'delivered' ? true : undefined));
      assert.equal(await statusOf(p1.id), 'sent');
    });

    it('a pay link whose receipt says undeliverable still counts against the phone', async () => {
      smsc.receiptState = 'UNDELIV';
      const merchant = await createTestMerchant(t);
      const buyer = await createBuyer(t);
      const link = await api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount: '1.00', phone: buyer.phone, send: 'link' }).expect(201);
      await eventually(async () => ((await statusOf(link.body.id)) === 'failed' ? true : undefined));
      for (let i = 0; i < 4; i++) await pay(merchant, buyer.phone);
      const sixth = await api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount: '1.00', phone: buyer.phone }).expect(429);
      assert.equal(sixth.body.code, 'rate_limited');
    });

    it('a half-open SMSC is found by enquire_link, and the gateway rebinds', async () => {
      const own = new FakeSmsc();
      await own.start();
      const gateway = new SmppGateway({ url: own.url(), log: captureLogger(), timeoutMs: 300, enquireLinkMs: 200 });
      try {
        await gateway.connect();
        own.silent = true;
        await eventually(() => (own.closes >= 1 ? true : undefined), 3000);
        own.silent = false;
        await eventually(() => (own.binds >= 2 ? true : undefined), 3000);
        await within(2000, gateway.send(sms('after the rebind')));
        assert.equal(own.texts().at(-1), 'after the rebind');
      } finally {
        await gateway.close();
        await own.stop();
      }
    });

    it('a failed background bind is logged (warn), without the password', async () => {
      const wrong = new SmppGateway({ url: smsc.url().replace(':secret@', ':Wr0ngPassw0rd@'), log: captureLogger(), timeoutMs: 500 });
      try {
        await assert.rejects(wrong.connect(), /bind refused/);
        const line = await eventually(() => capturedLogLines.find((l) => l.includes('SMPP bind failed') && l.includes(String(smsc.port))), 3000);
        assert.match(line, /"level":(40|"warn")/);
        assert.ok(!capturedLogLines.some((l) => l.includes('Wr0ngPassw0rd')));
      } finally {
        await wrong.close();
      }
    });
  });
});
