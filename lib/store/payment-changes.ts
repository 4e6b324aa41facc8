import type { Knex } from './db.js';

export type PaymentChange = { merchantId: string; paymentId: string };
type PgConnection = { query(sql: string): Promise<unknown>; on(event: string, listener: (...args: never[]) => void): void; removeAllListeners(): void };

/**
 * One connection per process that LISTENs to payment changes (the trigger of migration
 * 20261201180000). It is taken from the pool for good; if it breaks, a new one is taken after a pause.
 */
export function listenToPaymentChanges(db: Knex, onChange: (c: PaymentChange) => void, onError: (err: Error) => void): { stop(): Promise<void> } {
  let connection: PgConnection | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const connect = async () => {
    try {
      const conn = (await db.client.acquireConnection()) as PgConnection;
      if (stopped) return void db.client.releaseConnection(conn);
      connection = conn;
      conn.on('notification', ((msg: { channel: string; payload?: string }) => {
        const [merchantId, paymentId] = (msg.payload ?? '').split(':');
        if (merchantId && paymentId) onChange({ merchantId, paymentId });
      }) as never);
      conn.on('error', ((err: Error) => broken(err)) as never);
      conn.on('end', (() => broken(new Error('the LISTEN connection ended'))) as never);
      await conn.query('LISTEN tp_payments');
    } catch (err) {
      broken(err as Error);
    }
  };
  const broken = (err: Error) => {
    if (stopped || retry) return;
    onError(err);
    const dead = connection;
    connection = undefined;
    if (dead) {
      dead.removeAllListeners();
      void Promise.resolve(db.client.releaseConnection(dead)).catch(() => {});
    }
    retry = setTimeout(() => {
      retry = undefined;
      void connect();
    }, 1000);
    retry.unref();
  };
  void connect();
  return {
    async stop() {
      stopped = true;
      if (retry) clearTimeout(retry);
      const conn = connection;
      connection = undefined;
      if (conn) {
        conn.removeAllListeners();
        await conn.query('UNLISTEN *').catch(() => {});
        await db.client.releaseConnection(conn);
      }
    },
  };
}
