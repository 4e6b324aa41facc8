import type { PaymentId } from '../domain/ids.js';
import type { Deps } from './deps.js';
import * as payments from '../store/payments.js';

/**
 * Spec §2: the hosted page's steps belong to the browser that took the first one. True when this
 * browser owns the payment now (it just claimed it, or it had); false for any other browser.
 */
export async function claimCheckout(deps: Pick<Deps, 'db'>, paymentId: PaymentId, browserHash: string): Promise<boolean> {
  return (await payments.claimCheckout(deps.db, paymentId, browserHash)) === browserHash;
}
