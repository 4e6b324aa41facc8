import type { Logger } from '../log.js';
import type { DeliveryReceipt } from './gateway.js';

/** A receipt as queued: `horizon` is set by the recorder on one that matched nothing (opaque here); `retries` is the queue's count. */
export type QueuedReceipt = DeliveryReceipt & { horizon?: string; retries?: number };
/** What one batch's write did: messages changed, and the receipts that matched no message (their other fields kept). */
export type ReceiptsWritten = { changed: number; unmatched: QueuedReceipt[] };
export type ReceiptDropReason = 'full' | 'malformed' | 'unmatched';
/** Runs `run` after `ms` of machine time; returns a cancel. */
export type RetryScheduler = (run: () => void, ms: number) => () => void;

/** A receipt can come before the send's gateway id is written: most ids land within 1 s, a slow database within 5 or 30 s. */
export const RECEIPT_RETRY_MS: readonly number[] = [1000, 5000, 30_000];

export type ReceiptQueueOptions = {
  /** Writes one batch (one statement). */
  write(batch: QueuedReceipt[]): Promise<ReceiptsWritten>;
  log: Logger;
  /** A receipt the queue had no room for, could not read, or that still matched nothing after its last retry: counted for /metrics. */
  dropped?(reason: ReceiptDropReason): void;
  /** Receipts queued plus those waiting for a retry. */
  maxLength?: number;
  /** Delay before each retry of a receipt that matched nothing (default RECEIPT_RETRY_MS); its length is the number of retries. */
  retryMs?: readonly number[];
  schedule?: RetryScheduler;
  batchSize?: number;
  /** Batches written at once: the most pool connections receipts ever hold. */
  writers?: number;
};

const WARN_EVERY_MS = 60_000;

/**
 * Delivery receipts between the gateways and the database: a bounded FIFO drained by at most
 * `writers` batches at a time, so a flood of receipts (hostile or not) holds a fixed number of pool
 * connections and a fixed amount of memory. From half full on, push() hands back a promise: a
 * gateway that can (SMPP) stops reading until it resolves, and the peer's window fills. Past
 * `maxLength` receipts are dropped, counted, and warned about once a minute. A receipt that matched no message
 * waits and is tried again (`retryMs`), then dropped as 'unmatched'; waiting receipts count toward `maxLength`
 * and are the first to go when a new receipt needs the room (a receipt that matched nothing is most likely junk).
 */
export class ReceiptQueue {
  private readonly items: QueuedReceipt[] = [];
  /** Batches waiting for their retry, oldest first, each with its timer's cancel. */
  private readonly retries = new Set<{ receipts: QueuedReceipt[]; cancel: () => void }>();
  private waiting = 0;
  private closed = false;
  private head = 0;
  private running = 0;
  private droppedSinceWarning = 0;
  private lastWarning = 0;
  private readonly waiters: (() => void)[] = [];
  private room?: { promise: Promise<void>; resolve: () => void };
  private readonly maxLength: number;
  private readonly batchSize: number;
  private readonly writers: number;
  private readonly retryMs: readonly number[];
  private readonly schedule: RetryScheduler;

  constructor(private readonly opts: ReceiptQueueOptions) {
    this.maxLength = opts.maxLength ?? 10_000;
    this.batchSize = opts.batchSize ?? 500;
    this.writers = opts.writers ?? 2;
    this.retryMs = opts.retryMs ?? RECEIPT_RETRY_MS;
    this.schedule = opts.schedule ?? timer;
  }

  get length(): number {
    return this.items.length - this.head;
  }

  /** Receipts that matched nothing yet, waiting for their next try. */
  get retrying(): number {
    return this.waiting;
  }

  /** Queues a receipt (or drops it: full, or naming no usable id or phone); a promise: slow down until it resolves. */
  push(receipt: DeliveryReceipt): Promise<void> | undefined {
    if (!plausible(receipt)) {
      this.opts.dropped?.('malformed');
      return this.room?.promise;
    }
    if (this.length >= this.maxLength) {
      this.opts.dropped?.('full');
      this.droppedSinceWarning += 1;
      const now = Date.now(); // wall time on purpose: this paces a log line, it decides nothing
      if (now - this.lastWarning >= WARN_EVERY_MS) {
        this.opts.log.warn({ dropped: this.droppedSinceWarning, queued: this.length }, 'SMS delivery receipts dropped: the receipt queue is full');
        this.lastWarning = now;
        this.droppedSinceWarning = 0;
      }
      return this.slowDown();
    }
    if (this.length + this.waiting >= this.maxLength) this.evictRetry();
    this.items.push(receipt);
    this.pump();
    return this.length >= this.maxLength / 2 ? this.slowDown() : undefined;
  }

  private slowDown(): Promise<void> {
    if (!this.room) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.room = { promise, resolve };
    }
    return this.room.promise;
  }

  /** Resolves when every queued receipt was written (tests, shutdown); receipts waiting for a retry are not waited for. */
  idle(): Promise<void> {
    if (this.length === 0 && this.running === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private pump(): void {
    while (this.running < this.writers && this.length > 0) {
      const batch = this.items.slice(this.head, this.head + this.batchSize);
      this.head += batch.length;
      if (this.head > 4096 && this.head * 2 > this.items.length) {
        this.items.splice(0, this.head);
        this.head = 0;
      }
      this.running += 1;
      this.opts.write(batch)
        .then((written) => this.retryLater(written.unmatched))
        .catch((err) => this.opts.log.error({ err, receipts: batch.length }, 'could not record SMS delivery receipts'))
        .finally(() => {
          this.running -= 1;
          this.pump();
          if (this.room && this.length <= this.maxLength / 10) {
            this.room.resolve();
            this.room = undefined;
          }
          if (this.length === 0 && this.running === 0) for (const wake of this.waiters.splice(0)) wake();
        });
    }
  }

  /** Stops the retries (shutdown): receipts waiting for one are given up. */
  close(): void {
    this.closed = true;
    for (const retry of this.retries) retry.cancel();
    this.retries.clear();
    this.waiting = 0;
  }

  /** Receipts that matched nothing wait for their next delay while there is room; after the last one they are dropped. */
  private retryLater(unmatched: QueuedReceipt[]): void {
    const byTry = new Map<number, QueuedReceipt[]>();
    for (const receipt of unmatched) {
      const done = receipt.retries ?? 0;
      if (this.closed || done >= this.retryMs.length || this.length + this.waiting >= this.maxLength) {
        this.opts.dropped?.('unmatched');
        continue;
      }
      this.waiting += 1;
      const group = byTry.get(done) ?? byTry.set(done, []).get(done)!;
      group.push({ ...receipt, retries: done + 1 });
    }
    for (const [done, receipts] of byTry) {
      const retry = { receipts, cancel: () => {} };
      this.retries.add(retry);
      retry.cancel = this.schedule(() => {
        if (!this.retries.delete(retry)) return;
        this.waiting -= retry.receipts.length;
        this.items.push(...retry.receipts);
        this.pump();
      }, this.retryMs[done]!);
    }
  }

  /** Makes room for a new receipt: the oldest waiting retry goes. */
  private evictRetry(): void {
    const [oldest] = this.retries;
    if (!oldest) return;
    oldest.receipts.pop();
    this.waiting -= 1;
    this.opts.dropped?.('unmatched');
    if (oldest.receipts.length > 0) return;
    oldest.cancel();
    this.retries.delete(oldest);
  }
}

function timer(run: () => void, ms: number): () => void {
  const t = setTimeout(run, ms);
  t.unref(); // a retry never keeps the process alive
  return () => clearTimeout(t);
}

/** Ids and phones as SMSCs send them: anything else matches no message, and is not worth a query. */
function plausible(r: DeliveryReceipt): boolean {
  return r.gatewayMessageId.length > 0 && r.gatewayMessageId.length <= 100 && /^\d{6,15}$/.test(r.phone);
}
