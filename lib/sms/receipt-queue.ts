import type { Logger } from '../log.js';
import type { DeliveryReceipt } from './gateway.js';

export type ReceiptQueueOptions = {
  /** Writes one batch (one statement); resolves with the number of messages it changed. */
  write(batch: DeliveryReceipt[]): Promise<number>;
  log: Logger;
  /** A receipt the queue had no room for (or could not read): counted for /metrics. */
  dropped?(reason: 'full' | 'malformed'): void;
  maxLength?: number;
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
 * `maxLength` receipts are dropped, counted, and warned about once a minute.
 */
export class ReceiptQueue {
  private readonly items: DeliveryReceipt[] = [];
  private head = 0;
  private running = 0;
  private droppedSinceWarning = 0;
  private lastWarning = 0;
  private readonly waiters: (() => void)[] = [];
  private room?: { promise: Promise<void>; resolve: () => void };
  private readonly maxLength: number;
  private readonly batchSize: number;
  private readonly writers: number;

  constructor(private readonly opts: ReceiptQueueOptions) {
    this.maxLength = opts.maxLength ?? 10_000;
    this.batchSize = opts.batchSize ?? 500;
    this.writers = opts.writers ?? 2;
  }

  get length(): number {
    return this.items.length - this.head;
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

  /** Resolves when every queued receipt was written (tests, shutdown). */
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
}

/** Ids and phones as SMSCs send them: anything else matches no message, and is not worth a query. */
function plausible(r: DeliveryReceipt): boolean {
  return r.gatewayMessageId.length > 0 && r.gatewayMessageId.length <= 100 && /^\d{6,15}$/.test(r.phone);
}
