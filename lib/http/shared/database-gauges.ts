import client from 'prom-client';

/**
 * Counts that live in the database, read when /metrics is scraped: every instance reports the same
 * numbers (aggregate them with max, not sum). One query each, on indexed columns.
 */
export type DatabaseGaugeReaders = {
  payments(): Promise<{ status: string; n: number }[]>;
  notifications(): Promise<{ kind: string; pending: number; dead: number; oldestPendingSeconds: number | null }[]>;
  pendingAlerts(): Promise<{ channel: string; n: number }[]>;
};

const NOTIFICATION_KINDS = ['result', 'webhook', 'sms', 'mail', 'prerequest'];

export function registerDatabaseGauges(registry: client.Registry, readersOf: () => DatabaseGaugeReaders | undefined): void {
  const registers = [registry];
  new client.Gauge({
    name: 'telepurse_payments', help: 'Payments by status (from the database)', labelNames: ['status'] as const, registers,
    async collect() {
      const readers = readersOf();
      if (!readers) return;
      const rows = await readers.payments();
      this.reset();
      for (const { status, n } of rows) this.set({ status }, n);
    },
  });

  // one read serves the three notification gauges of a scrape
  let reading: Promise<Awaited<ReturnType<DatabaseGaugeReaders['notifications']>>> | undefined;
  const notifications = () => {
    reading ??= readersOf()!.notifications().finally(() => setImmediate(() => (reading = undefined)));
    return reading;
  };
  const notificationGauge = (name: string, help: string, value: (row: Awaited<ReturnType<typeof notifications>>[number]) => number) =>
    new client.Gauge({
      name, help, labelNames: ['kind'] as const, registers,
      async collect() {
        if (!readersOf()) return;
        const rows = await notifications();
        for (const kind of NOTIFICATION_KINDS) {
          const row = rows.find((r) => r.kind === kind);
          this.set({ kind }, row ? value(row) : 0);
        }
      },
    });
  notificationGauge('telepurse_notifications_pending', 'Notifications waiting in the outbox, by kind (the backlog)', (r) => r.pending);
  notificationGauge('telepurse_notifications_oldest_pending_seconds', 'Age of the oldest pending notification, by kind', (r) => r.oldestPendingSeconds ?? 0);
  notificationGauge('telepurse_notifications_dead', 'Notifications that gave up after every retry, by kind', (r) => r.dead);

  new client.Gauge({
    name: 'telepurse_alerts_pending', help: 'Alerts waiting in the outbox, by channel', labelNames: ['channel'] as const, registers,
    async collect() {
      const readers = readersOf();
      if (!readers) return;
      const rows = await readers.pendingAlerts();
      for (const channel of ['mail', 'sms']) this.set({ channel }, rows.find((r) => r.channel === channel)?.n ?? 0);
    },
  });
}
