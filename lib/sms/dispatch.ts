import { e164 } from '../domain/phone.js';
import { testPhoneBehaviour } from '../domain/test-phones.js';
import type { Logger } from '../log.js';
import type { Mode } from '../domain/ledger.js';
import type { AttemptRecord } from '../domain/notification.js';

/** Where outcomes are written: the use-cases of record-sms-outcome.ts, wired in app.ts (this folder reaches no database itself). */
export type SmsRecorder = {
  /** `attempt`: the outbox's record of this delivery, written in the same statement as the outcome. */
  sent(smsId: string, gateway: string, gatewayMessageId: string | null, attempt?: AttemptRecord): Promise<void>;
  failed(smsId: string, error: string, attempt?: AttemptRecord): Promise<void>;
  /** The request left and no clear answer came back: the message may be out. */
  unknown(smsId: string, error: string, attempt?: AttemptRecord): Promise<void>;
  /** A batch of delivery receipts, one statement; hands back those that matched no message (tried again later). */
  receipts(batch: QueuedReceipt[]): Promise<ReceiptsWritten>;
  receiptDropped?(reason: ReceiptDropReason): void;
};
import { SmsSendError, type SmsGateway } from './gateway.js';
import type { LogGateway } from './log-gateway.js';
import { ReceiptQueue, type QueuedReceipt, type ReceiptDropReason, type ReceiptQueueOptions, type ReceiptsWritten } from './receipt-queue.js';

/** `maybeSent`: the gateway may have taken it (no clear answer): it counts as sent and is never sent again. */
export type SmsDispatch = { ok: true; gateway: string } | { ok: false; error: string; maybeSent: boolean };
/** Turns a send's outcome into the outbox's record of the attempt, written with the outcome (the caller then records nothing more). */
export type Settle = (outcome: SmsDispatch, latencyMs: number) => AttemptRecord;

export type SmsDispatcher = {
  /** Sends a recorded message (sms_messages row) and records the outcome; never throws for gateway failures. */
  send(sms: { id: string; phone: string; text: string; mode: Mode; paymentId: string | null }, settle?: Settle): Promise<SmsDispatch>;
  /** The in-memory inbox of the log gateway (development, and every test-mode message). */
  devInbox: LogGateway;
  /** Connects the live gateways ahead of the first message (failures are retried by the gateway). */
  connect(): Promise<void>;
  close(): Promise<void>;
};

/**
 * Live messages go through the configured gateways; test-mode messages never leave the dev inbox.
 * `receiptRetry`: tests pace the retries of unmatched receipts themselves (the default waits RECEIPT_RETRY_MS on timers).
 */
export function createSmsDispatcher(
  deps: { log: Logger; receiptRetry?: Pick<ReceiptQueueOptions, 'retryMs' | 'schedule'> }, record: SmsRecorder, live: SmsGateway, devInbox: LogGateway,
): SmsDispatcher {
  // receipts wait in a bounded queue, written in batches by a fixed number of writers: a flood cannot take the pool
  const receipts = new ReceiptQueue({ write: (batch) => record.receipts(batch), log: deps.log, dropped: record.receiptDropped, ...deps.receiptRetry });
  live.onReceipt?.((receipt) => receipts.push(receipt));
  return {
    devInbox,
    async send(sms, settle) {
      const started = Date.now();
      const attempt = (outcome: SmsDispatch) => settle?.(outcome, Date.now() - started);
      // the test phone whose SMS never arrives: taken by the "gateway", never in the inbox
      if (testPhoneBehaviour(sms.phone, sms.mode) === 'sms_lost') {
        const lost = { ok: true as const, gateway: 'test-lost' };
        await record.sent(sms.id, 'test-lost', null, attempt(lost));
        return lost;
      }
      const gateway = sms.mode === 'test' ? devInbox : live;
      let result: Awaited<ReturnType<typeof gateway.send>>;
      try {
        result = await gateway.send({ to: e164(sms.phone), text: sms.text, reference: sms.id, paymentId: sms.paymentId });
      } catch (err) {
        const error = (err as Error).message;
        const maybeSent = err instanceof SmsSendError && err.ambiguous;
        deps.log.warn({ sms: sms.id, payment: sms.paymentId ?? undefined, error, maybeSent }, maybeSent ? 'sms may have been sent: not sent again' : 'sms could not be sent');
        const failed = { ok: false as const, error, maybeSent };
        await (maybeSent ? record.unknown(sms.id, error, attempt(failed)) : record.failed(sms.id, error, attempt(failed)));
        return failed;
      }
      // the gateway took it: a database that fails to record that is the database's fault (a 503), not the gateway's
      await record.sent(sms.id, result.gateway, result.gatewayMessageId, attempt({ ok: true, gateway: result.gateway }));
      deps.log.info({ sms: sms.id, payment: sms.paymentId ?? undefined, gateway: result.gateway }, 'sms sent');
      return { ok: true, gateway: result.gateway };
    },
    async connect() {
      await live.connect?.().catch((err) => deps.log.warn({ error: (err as Error).message }, 'SMS gateway not reachable yet'));
    },
    async close() {
      await live.close?.();
      await receipts.idle();
      receipts.close();
    },
  };
}
