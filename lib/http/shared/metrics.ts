import client from 'prom-client';
import type { ServiceObserver } from '../../use-cases/shared/deps.js';
import { registerDatabaseGauges, type DatabaseGaugeReaders } from './database-gauges.js';

export type HttpMetrics = ServiceObserver & {
  registry: client.Registry;
  observe(method: string, route: string, status: number, seconds: number): void;
  /** Every delivery attempt of the outbox (Result, webhook, SMS, mail): delivered, retry (will be tried again) or dead. */
  notificationAttempt(kind: string, status: 'delivered' | 'pending' | 'dead', alertChannel?: 'mail' | 'sms'): void;
  /** A buyer's receipt delivered (docs/buyer-guide.md#receipts), by channel. */
  receiptSent(channel: 'sms' | 'mail'): void;
  smsSent(gateway: string): void;
  smsFailed(): void;
  /** A send that may have gone out (no clear answer from the gateway). */
  smsUnknown(): void;
  smsReceipt(gateway: string, delivered: boolean): void;
  /** A delivery receipt not recorded: the receipt queue was full, it named no usable id or phone, or it matched no message after its retries. */
  smsReceiptDropped(reason: 'full' | 'malformed' | 'unmatched'): void;
  /** Where the counts kept in the database are read when /metrics is scraped. */
  readFromDatabase(readers: DatabaseGaugeReaders): void;
};

/** The routes whose latency is the buyer's wait for "paid": the API's confirm and the hosted page's code step. */
const CONFIRM_ROUTES: Record<string, string> = { '/api/v1/payments/:id/confirm': 'api', '/pay/:id/code': 'page' };

/** One registry per app instance, so several apps in one test process do not share counters. */
export function createHttpMetrics(): HttpMetrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new client.Counter({ name: 'http_requests_total', help: 'HTTP requests', labelNames, registers });
  const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
  const duration = new client.Histogram({ name: 'http_request_duration_seconds', help: 'HTTP request latency', labelNames, buckets, registers });
  const confirm = new client.Histogram({
    name: 'telepurse_confirm_duration_seconds', help: 'Time to answer a code: channel api or page; outcome paid (2xx/3xx) or refused', labelNames: ['channel', 'outcome'] as const, buckets, registers,
  });
  const attempts = new client.Counter({ name: 'telepurse_notification_attempts_total', help: 'Delivery attempts of the outbox by kind and outcome (delivered, retry, dead)', labelNames: ['kind', 'outcome'] as const, registers });
  const receiptsSent = new client.Counter({ name: 'telepurse_receipts_sent_total', help: "Buyers' receipts delivered, by channel (sms, mail)", labelNames: ['channel'] as const, registers });
  const alerts = new client.Counter({ name: 'telepurse_alerts_total', help: 'Alert delivery attempts by channel and outcome (sent, failed, dead)', labelNames: ['channel', 'outcome'] as const, registers });
  const refused = new client.Counter({ name: 'telepurse_rate_limited_total', help: 'Requests refused by an abuse limit, by limit', labelNames: ['limit'] as const, registers });
  const sms = new client.Counter({ name: 'telepurse_sms_total', help: 'SMS handed to a gateway (sent) or given up (failed, gateway "none")', labelNames: ['gateway', 'outcome'] as const, registers });
  const receipts = new client.Counter({ name: 'telepurse_sms_receipts_total', help: 'Delivery receipts from the SMS gateways', labelNames: ['gateway', 'status'] as const, registers });
  // docs/security.md#passkeys: each approval by passkey is a code SMS not sent
  const approved = new client.Counter({ name: 'telepurse_payments_approved_total', help: 'Payments the buyer approved, by a code or by a passkey', labelNames: ['by'] as const, registers });
  const smsSaved = new client.Counter({ name: 'telepurse_sms_saved_total', help: 'Code SMS not sent because a passkey approved the payment', registers });
  const receiptsDropped = new client.Counter({ name: 'telepurse_sms_receipts_dropped_total', help: 'Delivery receipts not recorded: queue full, malformed, or unmatched after retries', labelNames: ['reason'] as const, registers });
  const refunds = new client.Counter({ name: 'telepurse_refunds_total', help: 'Refunds made, by currency', labelNames: ['currency'] as const, registers });
  const refundedMinor = new client.Counter({ name: 'telepurse_refunded_minor_units_total', help: 'Money refunded, in minor units (cents), by currency', labelNames: ['currency'] as const, registers });
  let readers: DatabaseGaugeReaders | undefined;
  registerDatabaseGauges(registry, () => readers);

  return {
    registry,
    observe(method, route, status, seconds) {
      const labels = { method, route, status: String(status) };
      requests.inc(labels);
      duration.observe(labels, seconds);
      const channel = method === 'POST' ? CONFIRM_ROUTES[route] : undefined;
      if (channel) confirm.observe({ channel, outcome: status < 400 ? 'paid' : 'refused' }, seconds);
    },
    notificationAttempt(kind, status, alertChannel) {
      attempts.inc({ kind, outcome: status === 'pending' ? 'retry' : status });
      if (alertChannel) alerts.inc({ channel: alertChannel, outcome: status === 'delivered' ? 'sent' : status === 'pending' ? 'failed' : 'dead' });
    },
    rateLimited: (limit) => refused.inc({ limit }),
    paymentApproved(by) {
      approved.inc({ by });
      if (by === 'passkey') smsSaved.inc();
    },
    receiptSent: (channel) => receiptsSent.inc({ channel }),
    refunded(currency, amountMinor) {
      refunds.inc({ currency });
      refundedMinor.inc({ currency }, Number(amountMinor));
    },
    smsSent: (gateway) => sms.inc({ gateway, outcome: 'sent' }),
    smsFailed: () => sms.inc({ gateway: 'none', outcome: 'failed' }),
    smsUnknown: () => sms.inc({ gateway: 'unknown', outcome: 'unknown' }),
    smsReceiptDropped: (reason) => receiptsDropped.inc({ reason }),
    smsReceipt: (gateway, delivered) => receipts.inc({ gateway, status: delivered ? 'delivered' : 'undeliverable' }),
    readFromDatabase(r) {
      readers = r;
    },
  };
}
