import type { Knex } from '../store/db.js';
import type { Leg, Mode } from '../domain/ledger.js';
import type { Currency } from '../domain/currency.js';
import type { Minor } from '../domain/money.js';
// the fee wallets exist from migration 20261201200000 on: no statement to make sure, under the payment's wallet locks
import { feePurse } from '../domain/wallet.js';

/**
 * The legs of money reaching a merchant with a fee (spec §10), for one transfer: payer −amount,
 * merchant +(amount − fee), the operator's fee wallet +fee.
 */
export async function legsWithFee(
  trx: Knex.Transaction, r: { currency: Currency; mode: Mode; at: Date }, from: string, to: string, amount: Minor, fee: Minor,
): Promise<Leg[]> {
  const legs: Leg[] = [{ purse: from, amount: -amount }];
  if (amount - fee > 0n) legs.push({ purse: to, amount: amount - fee });
  if (fee > 0n) legs.push({ purse: feePurse(r.currency, r.mode), amount: fee });
  return legs;
}

/** A refund's legs: merchant −(amount − fee returned), buyer +amount, fee wallet −fee returned. */
export async function refundLegs(
  trx: Knex.Transaction, r: { currency: Currency; mode: Mode; at: Date }, merchant: string, buyer: string, amount: Minor, feeReturn: Minor,
): Promise<Leg[]> {
  const legs: Leg[] = [{ purse: buyer, amount }];
  if (amount - feeReturn > 0n) legs.push({ purse: merchant, amount: -(amount - feeReturn) });
  if (feeReturn > 0n) legs.push({ purse: feePurse(r.currency, r.mode), amount: -feeReturn });
  return legs;
}
