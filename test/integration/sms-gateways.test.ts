import assert from 'node:assert/strict';
import { useTestApp } from '../helpers/test-app.js';
import { Receiver } from '../helpers/receiver.js';
import { FakeSmsc } from '../helpers/fake-smsc.js';
import { freePort } from '../helpers/postgres.js';
import { captureLogger, rememberCode } from '../helpers/log-capture.js';
import { createTestMerchant, createBuyer, api } from '../helpers/merchant.js';
import { HttpGateway } from '../../lib/sms/http-gateway.js';
import { SmppGateway } from '../../lib/sms/smpp-gateway.js';
import { FailoverGateway } from '../../lib/sms/failover.js';
import { SmsSendError, type DeliveryReceipt } from '../../lib/sms/gateway.js';
import { query } from '../../lib/store/db.js';

const sms = (text = 'hello', to = '+79031234567') => ({ to, text, reference: 'sms_test' });

async function eventually<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('SMS gateways', function () {
  this.timeout(60_000);

  describe('http (spec §8) against a real HTTP server', () => {
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

    it('gives up on a gateway that does not answer, after its retries', async () => {
      server.reply = () => 'hang';
      const started = Date.now();
      await assert.rejects(gateway(200).send(sms()), /no answer within 200 ms/);
      assert.equal(server.requests.length, 3);
      assert.ok(Date.now() - started < 3000);
    });
  });

  describe('smpp against a real SMPP server on loopback', () => {
    const smsc = new FakeSmsc();
    let gateway: SmppGateway;
    const receipts: DeliveryReceipt[] = [];
    before(async () => {
      await smsc.start();
      gateway = new SmppGateway({ url: smsc.url(), log: captureLogger(), timeoutMs: 2000, enquireLinkMs: 500 });
      gateway.onReceipt((r) => receipts.push(r));
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
      assert.deepEqual(receipt, { gateway: 'smpp', gatewayMessageId: sub!.messageId, delivered: true, error: null });
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
    const smsc = new FakeSmsc();
    let smppGateway: SmppGateway;
    before(async () => {
      await smsc.start();
      smppGateway = new SmppGateway({ url: smsc.url(), log: captureLogger(), timeoutMs: 2000 });
    });
    after(async () => {
      await smppGateway.close();
      await smsc.stop();
    });
    const holder: { t?: ReturnType<typeof useTestApp> } = {};
    describe('', () => {
      const t = useTestApp({ smsGateway: { name: 'smpp', send: (m) => smppGateway.send(m), onReceipt: (l) => smppGateway.onReceipt(l) } });
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
