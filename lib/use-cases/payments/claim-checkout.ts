import type { Deps } from '../shared/deps.js';
import * as payments from '../../store/payments.js';
import type { Payment } from '../../domain/payment.js';

/**
 * docs/merchant-guide.md#the-form: the hosted page's steps belong to the browser that took the first one. True when this
 * browser owns the payment now (it just claimed it, or it had); false for any other browser.
 * A pay link's payment is not bound: its link was sent to the buyer's phone only and is the
 * capability itself, and a messaging app that fetches a preview of the link must not lock the
 * buyer out of his own payment.
 */
export async function claimCheckout(deps: Pick<Deps, 'db'>, payment: Payment, browserHash: string): Promise<boolean> {
  if (payment.linkToken) return true;
  // the row already read says whose it is, unless nobody has claimed it yet
  if (payment.browserHash !== null) return payment.browserHash === browserHash;
  return (await payments.claimCheckout(deps.db, payment.id, browserHash)) === browserHash;
}
