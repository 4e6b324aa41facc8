import type { PaymentId, MerchantId } from '../../domain/ids.js';
import type { Deps } from '../shared/deps.js';
import { listRefunds, type RefundRow } from '../../store/refunds.js';
import { findOwnedPayment } from './owned-payment.js';

/** Refunds of a payment the caller owns (the operator passes no merchant), newest first. */
export async function listRefundsOfPayment(deps: Pick<Deps, 'db'>, paymentId: PaymentId, merchantId?: MerchantId): Promise<RefundRow[]> {
  const payment = await findOwnedPayment(deps.db, paymentId, merchantId);
  return listRefunds(deps.db, payment.id);
}
