import type { PaymentId, MerchantId } from '../../domain/ids.js';
import type { Mode } from '../../domain/ledger.js';
import type { Deps } from '../shared/deps.js';
import { listRefunds } from '../../store/refunds.js';
import { findOwnedPayment } from './owned-payment.js';
import type { Refund } from '../../domain/refund.js';

/** Refunds of a payment the caller owns (the operator passes no merchant), newest first. */
export async function listRefundsOfPayment(deps: Pick<Deps, 'db'>, paymentId: PaymentId, merchantId?: MerchantId, mode?: Mode): Promise<Refund[]> {
  const payment = await findOwnedPayment(deps.db, paymentId, merchantId, mode);
  return listRefunds(deps.db, payment.id);
}
