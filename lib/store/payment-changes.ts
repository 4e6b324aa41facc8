import type { Knex } from '../postgres/db.js';

export type PaymentChange = { merchantId: string; paymentId: string };
type Listener = (...args: never[]) => void;
type PgConnection = { query(sql: string): Promise<unknown>; on(event: string, listener: Listener): void; off(event: string, listener: Listener): void };

/**
 * One connection per process that LISTENs to payment changes (the trigger of migration
 * 20261201180000) and to back-office sessions ending (20261206100100: `onSessionEnd` gets the
 * session's token hash). It is taken from the pool for good; if it breaks, a new one is taken after a pause.
 * Only this module's own listeners are ever removed: knex's 'error' listener stays on the connection
 * for its whole life, so a session PostgreSQL ends later (57P01 at shutdown) is never an unhandled 'error'.
 */
export function listenToPaymentChanges(
  db: Knex, onChange: (c: PaymentChange) => void, onError: (err: Error) => void, onSessionEnd: (tokenHash: string) => void = () => {},
): { stop(): Promise<void> } {
  let connection: PgConnection | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const connect = async () => {
    try {
      const conn = (await db.client.acquireConnection()) as PgConnection;
      if (stopped) return void db.client.releaseConnection(conn);
      connection = conn;
      for (const [event, listener] of ours) conn.on(event, listener);
      await conn.query('LISTEN tp_payments; LISTEN tp_sessions');
    } catch (err) {
      broken(err as Error);
    }
  };
  const ours: [string, Listener][] = [
    ['notification', ((msg: { channel: string; payload?: string }) => {
      if (msg.channel === 'tp_sessions') return void (msg.payload && onSessionEnd(msg.payload));
      const [merchantId, paymentId] = (msg.payload ?? '').split(':');
      if (merchantId && paymentId) onChange({ merchantId, paymentId });
    }) as Listener],
    ['error', ((err: Error) => broken(err)) as Listener],
    ['end', (() => broken(new Error('the LISTEN connection ended'))) as Listener],
  ];
  const forget = (conn: PgConnection) => {
    for (const [event, listener] of ours) conn.off(event, listener);
  };
  const broken = (err: Error) => {
    if (stopped || retry) return;
    onError(err);
    const dead = connection;
    connection = undefined;
    if (dead) {
      forget(dead);
      // knex marked it disposed (its own 'error'/'end' listener): the pool drops it instead of lending it again
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
        forget(conn);
        await conn.query('UNLISTEN *').catch(() => {});
        await db.client.releaseConnection(conn);
      }
    },
  };
}
