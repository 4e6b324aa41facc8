import { type Knex, inTransaction } from '../../postgres/db.js';
import type { Clock } from '../../clock.js';
import type { Config } from '../../config.js';
import type { Logger } from '../../log.js';
import * as notifications from '../../store/notifications.js';
import { findShop } from '../../store/shops.js';
import { claimSmsForSend, findSms, takeSmsForSend } from '../../store/sms-messages.js';
import type { SmsMessage } from '../../domain/sms-message.js';
import { TEST_PHONES } from '../../domain/test-phones.js';
import { ridingHit, rideWith } from '../limits/riding-hits.js';
import { nextAttemptAt } from '../../domain/retry-schedule.js';
import { deliveryLeaseMs } from '../../notify/outbox.js';
import { deadNotificationData } from '../../notify/event-data.js';
import { postNotification, sendMail, type Attempt } from '../../notify/send.js';
import type { SmsDispatch, SmsDispatcher } from '../../sms/dispatch.js';
import type { Messenger } from '../../messenger/dispatch.js';
import { attemptTemplate } from './send-template.js';
import { fallBackToSms } from './fall-back-to-sms.js';
import { planAlerts } from './enqueue-alerts.js';
import { writeOutbox } from './outbox-plan.js';
import type { Mailer } from '../../notify/mailer.js';
import { receiptOf, receiptTokenOf } from './receipt-delivery.js';
import { revealReceiptLink } from '../../domain/receipt.js';
import type { AttemptRecord, NotificationKind, Notification, NotificationStatus } from '../../domain/notification.js';

/** Counts of delivery attempts by kind and outcome (and alerts by channel), for /metrics. */
export type DeliveryMetrics = { attempt(kind: NotificationKind, status: NotificationStatus, alertChannel?: 'mail' | 'sms'): void; receipt?(channel: 'sms' | 'mail'): void };

export type Notifier = {
  /** First attempt right after the commit that wrote the rows; failures are left to the sweeper. */
  kick(rows: Notification[]): void;
  /** Delivers every due notification once (a sweep, bounded in time); safe to run on many instances at once. */
  sweep(opts?: { batch?: number; maxMs?: number }): Promise<number>;
  /** Waits for the deliveries started by kick(), for tests and graceful shutdown. */
  idle(): Promise<void>;
};

/** Asked before an alert SMS goes out (docs/merchant-guide.md#alerts, docs/merchant-guide.md#abuse-limits): null sends it, a reason drops it for good. */
export type AlertSmsGate = (alert: { notificationId: string; shopId: Notification['shopId']; eventType: string | null }, sms: { id: string; phone: string }) => Promise<string | null>;

type Deps = {
  db: Knex; clock: Clock; config: Config; log: Logger; sms: SmsDispatcher; messenger?: Messenger; mailer: Mailer; deliveryMetrics?: DeliveryMetrics; alertSmsGate?: AlertSmsGate;
  observer?: { rateLimited(limit: string): void };
};

/** An attempt's outcome: the notification's next state and the record that says so. */
type Settled = { status: NotificationStatus; retryAt: Date | undefined; record: AttemptRecord };
/** An attempt, and its record when the SMS's own statement wrote it (one round trip for both). */
type Attempted = Attempt & { settled?: Settled };
/** An outbox SMS taken for its send, or the attempt that ends without one. */
type Taken = { sms: SmsMessage } | { done: Attempted };

// docs/buyer-guide.md#receipts: the shared test phones send nothing out, so a receipt to one spends none of the SMS budget
const FREE_TEST_PHONES = Object.keys(TEST_PHONES);

const DELIVERY_KINDS: NotificationKind[] = ['result', 'webhook', 'sms', 'mail'];

/** An alert of docs/merchant-guide.md#alerts is a mail, or an SMS written for an event (a buyer's refund SMS has no event). */
function alertChannel(n: Notification): 'mail' | 'sms' | undefined {
  if (n.kind === 'mail') return receiptOf(n) ? undefined : 'mail';
  return n.kind === 'sms' && n.eventType ? 'sms' : undefined;
}

export function createNotifier(deps: Deps): Notifier {
  const inFlight = new Set<Promise<unknown>>();
  const leaseMs = deliveryLeaseMs(deps.config);

  async function attempt(n: Notification, attemptedAt: Date): Promise<Attempted> {
    const receipt = receiptOf(n);
    // docs/buyer-guide.md#receipts: the stored text has the token masked; it is put back only for the send
    const token = receipt ? receiptTokenOf(deps.config, receipt) : undefined;
    if (receipt && !token) return { statusCode: null, error: 'the receipt of this payment cannot be made here', latencyMs: 0 };
    if (n.kind === 'mail') return sendMail(deps.mailer, token ? { ...n, body: revealReceiptLink(n.body, token) } : n);
    if (n.kind === 'sms') {
      const { sms_id } = JSON.parse(n.body) as { sms_id: string };
      const taken = n.eventType ? await takeAlertSms(n, sms_id) : await takeSms(sms_id, token !== undefined);
      if ('done' in taken) return taken.done;
      const { sms } = taken;
      if (sms.channel === 'whatsapp') return attemptTemplate(deps, sms, token ? { text: revealReceiptLink(sms.textRedacted, token), button: token } : undefined);
      let settled: Settled | undefined;
      const started = Date.now();
      const sent = await deps.sms.send({ id: sms.id, phone: sms.phone, text: token ? revealReceiptLink(sms.textRedacted, token) : sms.textRedacted, mode: sms.mode, paymentId: sms.paymentId },
        (outcome, latencyMs) => (settled = settle(n, attemptedAt, sentAttempt(outcome, latencyMs))).record);
      return { ...sentAttempt(sent, Date.now() - started), settled };
    }
    const shop = n.kind === 'webhook' && n.shopId ? await findShop(deps.db, n.shopId) : undefined;
    return postNotification(deps.config, n, shop, () => deps.clock.now());
  }

  /** The SMS of an outbox row taken for its send, with the service's SMS budget spent for a receipt, in one statement (tp_take_sms). */
  async function takeSms(smsId: string, receipt: boolean): Promise<Taken> {
    const hits = receipt ? rideWith(ridingHit(deps, 'sms_budget', 'all')) : [];
    const taken = await takeSmsForSend(deps.db, smsId, deps.clock.now(), hits, FREE_TEST_PHONES);
    if (taken.outcome === 'missing') return { done: { statusCode: null, error: 'message record missing', latencyMs: 0 } };
    if (taken.outcome === 'rate_limited') {
      // receipts count against the service's SMS budget only (docs/merchant-guide.md#abuse-limits); over it they wait for the next try
      deps.observer?.rateLimited('sms_budget');
      return { done: { statusCode: null, error: 'rate_limited: sms_budget (sent at the next try)', latencyMs: 0 } };
    }
    return taken.outcome === 'gone' ? { done: wentAlready(taken.sms!) } : { sms: taken.sms! };
  }

  /** An alert's SMS: read, asked of the alert limits (which may drop it for good), then taken for its send. */
  async function takeAlertSms(n: Notification, smsId: string): Promise<Taken> {
    const sms = await findSms(deps.db, smsId);
    if (!sms) return { done: { statusCode: null, error: 'message record missing', latencyMs: 0 } };
    const refused = await deps.alertSmsGate?.({ notificationId: n.id, shopId: n.shopId, eventType: n.eventType }, sms);
    if (refused) return { done: { statusCode: null, error: `dropped: ${refused}`, latencyMs: 0, final: true } };
    return (await claimSmsForSend(deps.db, sms.id, deps.clock.now())) ? { sms } : { done: wentAlready(sms) };
  }

  /** A send's outcome as an attempt: a message that may have gone out is never sent again. */
  function sentAttempt(outcome: SmsDispatch, latencyMs: number): Attempt {
    return { statusCode: null, error: outcome.ok ? null : outcome.error, latencyMs, final: !outcome.ok && outcome.maybeSent };
  }

  /** At most once: a message of which something went out (or may have) is never sent again. */
  function wentAlready(sms: SmsMessage): Attempted {
    const went = sms.status === 'sent' || sms.status === 'delivered';
    return { statusCode: null, error: went ? null : 'the message may have gone out already: not sent again', latencyMs: 0, final: true };
  }

  function settle(n: Notification, attemptedAt: Date, result: Attempt): Settled {
    const delivered = result.error === null;
    // a message a limit dropped, or an SMS that may have gone out, is never retried (docs/merchant-guide.md#alerts, at most once)
    const retryAt = delivered || result.final ? undefined : nextAttemptAt(deps.config.notifyRetrySchedule, n.attempts + 1, deps.clock.now());
    const status = delivered ? 'delivered' : retryAt ? 'pending' : 'dead';
    return {
      status, retryAt,
      record: {
        row: { notificationId: n.id, attemptedAt, statusCode: result.statusCode, latencyMs: result.latencyMs, error: result.error },
        outcome: { status, nextAttemptAt: retryAt ?? null, deliveredAt: delivered ? deps.clock.now() : null },
      },
    };
  }

  async function deliver(n: Notification): Promise<void> {
    const attemptedAt = deps.clock.now();
    const result = await attempt(n, attemptedAt);
    const attempts = n.attempts + 1;
    const { status, record: settled } = result.settled ?? settle(n, attemptedAt, result);
    const record = (db: Knex | Knex.Transaction) => notifications.recordAttempt(db, settled.row, settled.outcome);
    // docs/merchant-guide.md#alerts: a Result or webhook that gave up is an event of its own, announced in the transaction that makes it dead;
    // an SMS's attempt was written with its outcome; every other attempt is one statement, with no transaction around it
    const raised: Notification[] = result.settled ? [] : status === 'dead' && (n.kind === 'result' || n.kind === 'webhook')
      ? await inTransaction(deps.db, async (trx) => {
        await record(trx);
        return announceDead(trx, n);
      })
      : (await record(deps.db), []);
    // docs/merchant-guide.md#pay-links-by-whatsapp: a WhatsApp message that failed for good goes once more by SMS
    if (status === 'dead' && n.kind === 'sms') raised.push(...(await fallBackToSms(deps, (JSON.parse(n.body) as { sms_id: string }).sms_id)));
    deps.deliveryMetrics?.attempt(n.kind, status, alertChannel(n));
    if (status === 'delivered' && receiptOf(n)) deps.deliveryMetrics?.receipt?.(n.kind === 'mail' ? 'mail' : 'sms');
    for (const row of raised) track(deliver(row).catch((err) => deps.log.error({ err, notification: row.id }, 'first delivery attempt failed')));
    const line = { notification: n.id, payment: n.paymentId, kind: n.kind, attempt: attempts, status, httpStatus: result.statusCode, ms: result.latencyMs, error: result.error };
    // a failed attempt is something an operator should see without turning on info logs
    if (status === 'delivered') deps.log.info(line, 'notification attempt');
    else deps.log.warn(line, 'notification attempt failed');
  }

  async function announceDead(trx: Knex.Transaction, n: Notification): Promise<Notification[]> {
    const shop = n.shopId ? await findShop(trx, n.shopId) : undefined;
    if (!shop) return [];
    return writeOutbox(trx, { messages: planAlerts(shop, 'notification.dead', n.id, n.paymentId, deadNotificationData(n), { at: deps.clock.now(), dueAt: lease() }, deps.config.publicUrl) });
  }

  function lease(): Date {
    return new Date(deps.clock.now().getTime() + leaseMs);
  }

  function track(work: Promise<unknown>) {
    inFlight.add(work);
    work.finally(() => inFlight.delete(work)).catch(() => {});
  }

  return {
    kick(rows) {
      // the rows were written claimed by their writer (next attempt after the lease): no sweeper takes them meanwhile
      for (const row of rows) track(deliver(row).catch((err) => deps.log.error({ err, notification: row.id }, 'first delivery attempt failed')));
    },
    async sweep({ batch = 100, maxMs = 20_000 } = {}) {
      let delivered = 0;
      const until = Date.now() + maxMs; // wall time on purpose: this bounds the work, it does not decide what is due
      while (Date.now() < until) {
        const due = await notifications.claimDue(deps.db, deps.clock.now(), batch, lease(), DELIVERY_KINDS);
        if (due.length === 0) break;
        await Promise.all(due.map((n) => deliver(n).catch((err) => deps.log.error({ err, notification: n.id }, 'delivery failed'))));
        delivered += due.length;
      }
      return delivered;
    },
    async idle() {
      while (inFlight.size) await Promise.allSettled([...inFlight]);
    },
  };
}
