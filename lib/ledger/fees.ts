import type { Knex } from '../postgres/db.js';
import type { Leg, Mode } from '../domain/ledger.js';
import type { Currency } from '../domain/currency.js';
import type { Minor } from '../domain/money.js';
// the fee wallets exist from migrations 20261201200000 and 20261201220000 on: no statement to make sure, under the payment's wallet locks
import { feePurse, feeShardOf } from '../domain/wallet.js';
import { findFeeAccountOfTransfer } from '../store/ledger.js';

/**
 * The legs of money reaching a merchant with a fee (docs/merchant-guide.md#fees), for one transfer: payer −amount,
 * merchant +(amount − fee), the operator's fee wallet +fee (the account of it the payment falls to).
 */
export function legsWithFee(
  r: { currency: Currency; mode: Mode; paymentId: string }, from: string, to: string, amount: Minor, fee: Minor,
): Leg[] {
  const legs: Leg[] = [{ purse: from, amount: -amount }];
  if (amount - fee > 0n) legs.push({ purse: to, amount: amount - fee });
  if (fee > 0n) legs.push({ purse: feePurse(r.currency, r.mode, feeShardOf(r.paymentId)), amount: fee });
  return legs;
}

/**
 * A refund's legs: merchant −(amount − fee returned), buyer +amount, fee wallet −fee returned. The
 * fee comes back from the account that took it, read from the ledger: the transfer that charged it
 * says so, whichever way accounts were picked when it was paid.
 */
export async function refundLegs(
  trx: Knex.Transaction, r: { chargeTransferId: bigint | null }, merchant: string, buyer: string, amount: Minor, feeReturn: Minor,
): Promise<Leg[]> {
  const legs: Leg[] = [{ purse: buyer, amount }];
  if (amount - feeReturn > 0n) legs.push({ purse: merchant, amount: -(amount - feeReturn) });
  if (feeReturn > 0n) {
    const account = r.chargeTransferId === null ? undefined : await findFeeAccountOfTransfer(trx, r.chargeTransferId);
    if (!account) throw new Error(`a fee of ${feeReturn} is to be returned but no transfer charged it (transfer ${r.chargeTransferId})`);
    legs.push({ purse: account, amount: -feeReturn });
  }
  return legs;
}
