import type { PaymentId, MerchantId } from '../../domain/ids.js';
import type { Mode } from '../../domain/ledger.js';
import { afterCommit } from '../shared/after-commit.js';
import type { PayDeps } from '../shared/deps.js';
import { lockOwnedPayment } from './owned-payment.js';
import { inTransaction } from '../../postgres/db.js';
import * as payments from '../../store/payments.js';
import { AppError } from '../../domain/errors.js';
import { abandonedEnding, assertCanDo, type Payment } from '../../domain/payment.js';
import { endPayment } from './end-payment.js';
import { expireOpenPayment } from './expire-payments.js';

/** The buyer (hosted page) or the merchant (API) gives up an open payment; cancelling twice answers the same. */
export async function cancelPayment(deps: PayDeps, input: { paymentId: PaymentId; merchantId?: MerchantId; mode?: Mode }): Promise<Payment> {
  const outcome = await inTransaction(deps.db, async (trx) => {
    const payment = await lockOwnedPayment(trx, input.paymentId, input.merchantId, input.mode);
    // a second cancel answers what the first did (a buyer who gave up after an unknown phone ended as no_wallet)
    if (payment.status === 'failed' && (payment.failureReason === 'cancelled' || payment.failureReason === 'no_wallet')) return { payment, notifications: [] };
    if (await expireOpenPayment(deps, trx, payment)) throw new AppError('invalid_state', 'The payment has expired', { payment_status: 'expired' });
    assertCanDo('cancel', payment.status);
    return endPayment(deps, trx, payment, abandonedEnding(payment, 'cancel'));
  });
  return afterCommit(deps, outcome).payment;
}
