import assert from 'node:assert/strict';
import { ReceiptQueue, type QueuedReceipt, type ReceiptDropReason, type ReceiptsWritten } from '../../lib/sms/receipt-queue.js';
import { createLogger } from '../../lib/log.js';

/** Timers the test fires itself: no test sleeps for a retry's delay. */
function manualTimers() {
  const pending: { run: () => void; ms: number; cancelled: boolean }[] = [];
  return {
    schedule: (run: () => void, ms: number) => {
      const t = { run, ms, cancelled: false };
      pending.push(t);
      return () => void (t.cancelled = true);
    },
    delays: () => pending.filter((t) => !t.cancelled).map((t) => t.ms),
    fire() {
      for (const t of pending.splice(0)) if (!t.cancelled) t.run();
    },
  };
}

const receipt = (id: string, phone = '79031234567'): QueuedReceipt => ({ gateway: 'smpp', gatewayMessageId: id, phone, delivered: true, error: null });

/** A recorder that knows the ids in `sent`: the others match nothing, and come back marked as the real one marks them. */
function recorder(sent: Set<string>) {
  const writes: QueuedReceipt[][] = [];
  return {
    writes,
    async write(batch: QueuedReceipt[]): Promise<ReceiptsWritten> {
      writes.push(batch);
      const unmatched = batch.filter((r) => !sent.has(r.gatewayMessageId)).map((r) => ({ ...r, horizon: r.horizon ?? String(writes.length) }));
      return { changed: batch.length - unmatched.length, unmatched };
    },
  };
}

describe('the receipt queue tries a receipt that matched nothing again (its send may not be recorded yet)', () => {
  const log = createLogger('silent');

  it('a receipt that comes before its id is written is applied on the retry, once', async () => {
    const sent = new Set<string>();
    const rec = recorder(sent);
    const timers = manualTimers();
    const dropped: ReceiptDropReason[] = [];
    const queue = new ReceiptQueue({ write: rec.write, log, dropped: (r) => void dropped.push(r), retryMs: [1000, 5000, 30_000], schedule: timers.schedule });
    queue.push(receipt('early'));
    await queue.idle();
    assert.deepEqual([rec.writes.length, queue.retrying, timers.delays()], [1, 1, [1000]]);
    sent.add('early'); // the send's "sent", with the gateway id, is committed now
    timers.fire();
    await queue.idle();
    assert.equal(rec.writes.length, 2);
    assert.deepEqual(rec.writes[1], [{ ...receipt('early'), horizon: '1', retries: 1 }], 'the retry keeps the mark of its first write');
    assert.deepEqual([queue.retrying, timers.delays(), dropped], [0, [], []]);
  });

  it('a receipt for an id nobody sent is tried after each delay, then dropped and counted as unmatched', async () => {
    const rec = recorder(new Set());
    const timers = manualTimers();
    const dropped: ReceiptDropReason[] = [];
    const queue = new ReceiptQueue({ write: rec.write, log, dropped: (r) => void dropped.push(r), retryMs: [1000, 5000, 30_000], schedule: timers.schedule });
    queue.push(receipt('nobody'));
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      await queue.idle();
      delays.push(...timers.delays());
      timers.fire();
    }
    await queue.idle();
    assert.deepEqual(delays, [1000, 5000, 30_000]);
    assert.equal(rec.writes.length, 4, 'one write and three retries');
    assert.deepEqual([dropped, queue.retrying, timers.delays()], [['unmatched'], 0, []]);
  });

  it('retries count toward maxLength: a flood of junk cannot grow memory, and a new receipt takes a waiting retry\'s place', async () => {
    const rec = recorder(new Set(['real']));
    const timers = manualTimers();
    const dropped: ReceiptDropReason[] = [];
    const queue = new ReceiptQueue({ write: rec.write, log, dropped: (r) => void dropped.push(r), maxLength: 4, batchSize: 2, writers: 1, schedule: timers.schedule });
    for (let i = 0; i < 4; i++) queue.push(receipt(`junk-${i}`, `7999000000${i}`));
    await queue.idle();
    assert.deepEqual([queue.length, queue.retrying, dropped], [0, 4, []]);
    queue.push(receipt('real'));
    assert.deepEqual([queue.retrying, dropped], [3, ['unmatched']], 'the oldest retry made room');
    await queue.idle();
    assert.deepEqual(rec.writes.at(-1), [receipt('real')]);
    for (let i = 0; i < 4; i++) queue.push(receipt(`more-${i}`, `7998000000${i}`));
    await queue.idle();
    assert.ok(queue.length + queue.retrying <= 4, `${queue.length} queued, ${queue.retrying} waiting`);
    assert.deepEqual([queue.retrying, dropped.length], [4, 4], 'every receipt is either waiting or counted');
  });

  it('close() gives up the waiting retries: no write after shutdown', async () => {
    const rec = recorder(new Set());
    const timers = manualTimers();
    const queue = new ReceiptQueue({ write: rec.write, log, schedule: timers.schedule });
    queue.push(receipt('late'));
    await queue.idle();
    queue.close();
    assert.deepEqual([queue.retrying, timers.delays()], [0, []]);
    timers.fire();
    await queue.idle();
    assert.equal(rec.writes.length, 1);
  });

  it('retries on real timers, with short delays', async () => {
    const sent = new Set<string>();
    const rec = recorder(sent);
    const queue = new ReceiptQueue({ write: rec.write, log, retryMs: [0, 0] });
    queue.push(receipt('soon'));
    await queue.idle();
    sent.add('soon');
    while (queue.retrying > 0) await new Promise((r) => setImmediate(r));
    await queue.idle();
    assert.deepEqual(rec.writes.map((b) => b.length), [1, 1]);
  });
});
