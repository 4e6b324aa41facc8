import assert from 'node:assert/strict';
import { useTestApp } from '../helpers/test-app.js';
import { FakeSmsc } from '../helpers/fake-smsc.js';
import { captureLogger, rememberCode } from '../helpers/log-capture.js';
import { createTestMerchant, createBuyer, api } from '../helpers/merchant.js';
import { SmppGateway } from '../../lib/sms/smpp-gateway.js';
import { LogGateway } from '../../lib/sms/log-gateway.js';
import { createSmsDispatcher, type SmsDispatcher } from '../../lib/sms/dispatch.js';
import type { QueuedReceipt, ReceiptDropReason } from '../../lib/sms/receipt-queue.js';
import type { OutgoingSms } from '../../lib/sms/gateway.js';
import { recordSmsReceipts } from '../../lib/use-cases/messages/record-sms-outcome.js';
import { query } from '../../lib/postgres/db.js';
import { eventually } from '../helpers/process.js';

/**
 * docs/operator-guide.md#sms-gateways: the SMSC's receipt reaches the service before the send's "sent" (with the gateway id) is
 * committed. The app sends through a real SMPP peer; its "sent" waits until the receipt was written and matched nothing. The
 * receipts go through a dispatcher of the test's own, whose retry timers the test fires (no test sleeps for a retry's delay).
 */
describe('SMS delivery receipts that come before the send is recorded', function () {
  this.timeout(30_000);
  const smsc = new FakeSmsc();
  let bound: SmppGateway;
  let receipts: SmsDispatcher;
  const timers: { ms: number; run: () => void }[] = [];
  const firstTries = new Map<string, 'matched' | 'unmatched'>();
  const dropped: ReceiptDropReason[] = [];
  let holdSent = true;

  const heldSend = async (m: OutgoingSms) => {
    const result = await bound.send(m);
    if (holdSent) await eventually(() => (firstTries.get(result.gatewayMessageId!) === 'unmatched' ? true : undefined));
    return result;
  };
  // the app's own queue gets no receipt: this gateway reports none to it
  const t = useTestApp({ smsGateway: { name: 'smpp', send: heldSend } });

  before(async () => {
    await smsc.start();
    bound = new SmppGateway({ url: smsc.url(), log: captureLogger(), timeoutMs: 2000 });
    const recorder = {
      sent: async () => {}, failed: async () => {}, unknown: async () => {},
      receipts: async (batch: QueuedReceipt[]) => {
        const written = await recordSmsReceipts(t.app.deps, batch);
        for (const r of batch) if (!r.retries) firstTries.set(r.gatewayMessageId, written.unmatched.some((u) => u.gatewayMessageId === r.gatewayMessageId) ? 'unmatched' : 'matched');
        return written;
      },
      receiptDropped: (reason: ReceiptDropReason) => void dropped.push(reason),
    };
    const live = { name: 'smpp', send: heldSend, onReceipt: (l: Parameters<SmppGateway['onReceipt']>[0]) => bound.onReceipt(l) };
    const schedule = (run: () => void, ms: number) => (timers.push({ ms, run }), () => {});
    receipts = createSmsDispatcher({ log: captureLogger(), receiptRetry: { schedule } }, recorder, live, new LogGateway(captureLogger(), () => new Date()));
  });
  after(async () => {
    await receipts?.close();
    await bound?.close();
    await smsc.stop();
  });
  afterEach(() => {
    smsc.autoReceipts = true;
    holdSent = true;
  });

  const fireRetries = () => timers.splice(0).map((timer) => (timer.run(), timer.ms));
  const statusOf = async (paymentId: string) =>
    (await query<{ status: string }>(t.database.db, 'select status from sms_messages where payment_id = ?', [paymentId]))[0]?.status;
  const pay = async (phone: string) => {
    const merchant = await createTestMerchant(t);
    const p = await api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount: '1.00', phone }).expect(201);
    rememberCode(/^(\d{4}) is your code/.exec(smsc.texts().at(-1)!)![1]!);
    return p.body.id as string;
  };

  it('deliver_sm before "sent" is committed: the receipt matches nothing, is tried again after 1 s, and the message ends delivered', async () => {
    const buyer = await createBuyer(t);
    const id = await pay(buyer.phone);
    const messageId = smsc.submitted.at(-1)!.messageId;
    assert.equal(firstTries.get(messageId), 'unmatched', 'the receipt was written before the send was recorded');
    assert.equal(await statusOf(id), 'sent', 'without a retry the receipt would be lost here');
    await eventually(() => (timers.length > 0 ? true : undefined));
    assert.deepEqual(fireRetries(), [1000]);
    await eventually(async () => ((await statusOf(id)) === 'delivered' ? true : undefined));
    assert.deepEqual([timers.length, dropped], [0, []]);
  });

  it('a receipt for an id nobody sent is tried three times and dropped as unmatched; it never changes the message later sent with that id', async () => {
    smsc.autoReceipts = false;
    holdSent = false;
    const buyer = await createBuyer(t);
    smsc.resetIds();
    smsc.receipt('smsc-1', buyer.phone, 'UNDELIV');
    await eventually(() => (firstTries.get('smsc-1') === 'unmatched' ? true : undefined));
    // the SMSC's counter started again: the next message to the same phone gets the id the early receipt named
    const id = await pay(buyer.phone);
    assert.equal(smsc.submitted.at(-1)!.messageId, 'smsc-1');
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      await eventually(() => (timers.length > 0 ? true : undefined));
      delays.push(...fireRetries());
    }
    await eventually(() => (dropped.length > 0 ? true : undefined));
    assert.deepEqual([delays, dropped, timers.length], [[1000, 5000, 30_000], ['unmatched'], 0]);
    assert.equal(await statusOf(id), 'sent', 'a message recorded after the receipt came is never its match');
  });
});
