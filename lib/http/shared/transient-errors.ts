/**
 * Failures that say "the database is not there right now", not "this request is wrong": a refused
 * or dropped connection, a server shutting down or starting, a read-only (demoted) primary, a
 * serialization failure or deadlock, a full pool. The request did not change anything it can be
 * blamed for (a lost COMMIT is answered the same way: the client retries with its Idempotency-Key),
 * so the answer is 503 with Retry-After, never a 500.
 */
const TRANSIENT_SQLSTATES = new Set([
  '08000', '08001', '08003', '08004', '08006', // connection exceptions
  '57P01', '57P02', '57P03', // admin shutdown, crash shutdown, cannot connect now
  '25006', // read-only transaction: the server is a standby now
  '40001', '40P01', // serialization failure, deadlock
  '53300', // too many connections
]);

const TRANSIENT_NET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

// knex puts the SQL before the driver's words ("insert into … - Connection terminated unexpectedly"): not anchored
const TRANSIENT_MESSAGES = [
  /Connection terminated/,
  /Client has encountered a connection error/,
  /Knex: Timeout acquiring a connection/,
  /the database system is (starting up|shutting down|in recovery mode)/,
  /terminating connection due to administrator command/,
];

export function isTransientDatabaseError(err: unknown): boolean {
  for (let e = err as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && (TRANSIENT_SQLSTATES.has(e.code) || TRANSIENT_NET_CODES.has(e.code))) return true;
    if (e.name === 'KnexTimeoutError') return true;
    if (typeof e.message === 'string' && TRANSIENT_MESSAGES.some((m) => m.test(e!.message as string))) return true;
    if (Array.isArray((e as { errors?: unknown }).errors)) return ((e as { errors: unknown[] }).errors).some(isTransientDatabaseError);
  }
  return false;
}
