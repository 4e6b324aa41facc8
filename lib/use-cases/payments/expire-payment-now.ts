import type { PaymentId } from '../../domain/ids.js';
import type { PayDeps } from '../shared/deps.js';
import { inTransaction } from '../../postgres/db.js';
import * as payments from '../../store/payments.js';
import { expireOpenPayment } from './expire-payments.js';
import type { Payment } from '../../domain/payment.js';

/** A buyer looks at a payment past its deadline before the expiry job got to it: expire it now. */
export async function expirePaymentNow(deps: PayDeps, paymentId: PaymentId): Promise<Payment> {
  return inTransaction(deps.db, async (trx) => {
    const locked = (await payments.lockPayment(trx, paymentId))!;
    await expireOpenPayment(deps, trx, locked);
    return (await payments.findPayment(trx, paymentId))!;
  });
}
