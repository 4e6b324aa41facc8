import type { Deps } from '../shared/deps.js';
import { listenToPaymentChanges, type PaymentChange } from '../../store/payment-changes.js';
import { findPayment } from '../../store/payments.js';
import { isPaymentId } from '../../domain/ids.js';

/** Payment changes of every merchant, and back-office sessions ending, pushed by PostgreSQL to this process (one connection). */
export function watchPaymentChanges(deps: Pick<Deps, 'db' | 'log'>, onChange: (c: PaymentChange) => void, onSessionEnd?: (tokenHash: string) => void) {
  return listenToPaymentChanges(deps.db, onChange, (err) => deps.log.warn({ err: err.message }, 'payment changes: listening again'), onSessionEnd);
}

export async function listPaymentChangesTo(deps: Pick<Deps, 'db'>, merchantId: string, id: string) {
  if (!isPaymentId(id)) return undefined;
  const payment = await findPayment(deps.db, id);
  return payment && payment.merchantId === merchantId ? payment : undefined;
}
