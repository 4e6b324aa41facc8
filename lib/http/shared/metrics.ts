import client from 'prom-client';

export type HttpMetrics = {
  registry: client.Registry;
  observe(method: string, route: string, status: number, seconds: number): void;
  /** Alert deliveries (spec §13) by channel: sent, failed (an attempt that will be retried) and dead. */
  alertAttempt(channel: 'mail' | 'sms', status: 'delivered' | 'pending' | 'dead'): void;
  /** Requests refused by a limit of spec §14. */
  rateLimited(limit: string): void;
  /** Where the pending alerts per channel are counted when /metrics is scraped. */
  countPendingAlerts(read: () => Promise<{ channel: string; n: number }[]>): void;
};

/** One registry per app instance, so several apps in one test process do not share counters. */
export function createHttpMetrics(): HttpMetrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new client.Counter({ name: 'http_requests_total', help: 'HTTP requests', labelNames, registers: [registry] });
  const duration = new client.Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const alerts = new client.Counter({
    name: 'telepurse_alerts_total', help: 'Alert delivery attempts by channel and outcome (sent, failed, dead)', labelNames: ['channel', 'outcome'] as const, registers: [registry],
  });
  const refused = new client.Counter({ name: 'telepurse_rate_limited_total', help: 'Requests refused by an abuse limit, by limit', labelNames: ['limit'] as const, registers: [registry] });
  let readPending: (() => Promise<{ channel: string; n: number }[]>) | undefined;
  new client.Gauge({
    name: 'telepurse_alerts_pending', help: 'Alerts waiting in the outbox, by channel', labelNames: ['channel'] as const, registers: [registry],
    async collect() {
      if (!readPending) return;
      this.reset();
      for (const channel of ['mail', 'sms']) this.set({ channel }, 0);
      for (const { channel, n } of await readPending()) this.set({ channel }, n);
    },
  });
  return {
    registry,
    alertAttempt(channel, status) {
      alerts.inc({ channel, outcome: status === 'delivered' ? 'sent' : status === 'pending' ? 'failed' : 'dead' });
    },
    rateLimited(limit) {
      refused.inc({ limit });
    },
    countPendingAlerts(read) {
      readPending = read;
    },
    observe(method, route, status, seconds) {
      const labels = { method, route, status: String(status) };
      requests.inc(labels);
      duration.observe(labels, seconds);
    },
  };
}
