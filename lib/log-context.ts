import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What every log line of a unit of work carries without each call passing it: the payment it is
 * about, so `grep pay_…` tells a payment's story (issue #20). Work started inside a request (an SMS,
 * a first delivery attempt) inherits the request's context.
 */
type LogContext = { payment?: string };

const storage = new AsyncLocalStorage<LogContext>();

export function withLogContext<T>(work: () => T): T {
  return storage.run({}, work);
}

/** From here on, the current unit of work is about this payment. */
export function bindPayment(paymentId: string): void {
  const context = storage.getStore();
  if (context) context.payment = paymentId;
}

/** pino's mixin: the fields of the current context, merged into each line (the line's own fields win). */
export function logContextFields(): Record<string, string> {
  const payment = storage.getStore()?.payment;
  return payment ? { payment } : {};
}
