import type { Knex } from '../store/db.js';
import * as wallets from '../store/wallets.js';
import type { Leg, Mode } from '../domain/ledger.js';
import type { Currency } from '../domain/currency.js';
import type { Minor } from '../domain/money.js';
import { feePurse, SYSTEM_HOLDER_ID } from '../domain/wallet.js';

/**
 * The legs of money reaching a merchant with a fee (spec §10), for one transfer: payer −amount,
 * merchant +(amount − fee), the operator's fee wallet +fee. The fee wallet is created the first time.
 */
export async function legsWithFee(
  trx: Knex.Transaction, r: { currency: Currency; mode: Mode; at: Date }, from: string, to: string, amount: Minor, fee: Minor,
): Promise<Leg[]> {
  const legs: Leg[] = [{ purse: from, amount: -amount }];
  if (amount - fee > 0n) legs.push({ purse: to, amount: amount - fee });
  if (fee > 0n) legs.push({ purse: await feeWallet(trx, r), amount: fee });
  return legs;
}

/** A refund's legs: merchant −(amount − fee returned), buyer +amount, fee wallet −fee returned. */
export async function refundLegs(
  trx: Knex.Transaction, r: { currency: Currency; mode: Mode; at: Date }, merchant: string, buyer: string, amount: Minor, feeReturn: Minor,
): Promise<Leg[]> {
  const legs: Leg[] = [{ purse: buyer, amount }];
  if (amount - feeReturn > 0n) legs.push({ purse: merchant, amount: -(amount - feeReturn) });
  if (feeReturn > 0n) legs.push({ purse: await feeWallet(trx, r), amount: -feeReturn });
  return legs;
}

async function feeWallet(trx: Knex.Transaction, r: { currency: Currency; mode: Mode; at: Date }): Promise<string> {
  const purse = feePurse(r.currency, r.mode);
  await wallets.ensureOperatorWallet(trx, { kind: 'fees', purse, holderId: SYSTEM_HOLDER_ID, currency: r.currency, mode: r.mode, createdAt: r.at });
  return purse;
}
