import type { Knex } from '../postgres/db.js';
import * as wallets from '../store/wallets.js';
import { postTransfer } from './transfer.js';
import type { Mode } from '../domain/ledger.js';
import type { Currency } from '../domain/currency.js';
import type { Minor } from '../domain/money.js';
import type { PayoutId } from '../domain/ids.js';
import { transferKeys } from '../domain/transfer-keys.js';
import { clearingPurse, issuancePurse, SYSTEM_HOLDER_ID } from '../domain/wallet.js';

type Movement = { payoutId: PayoutId; purse: string; amount: Minor; currency: Currency; mode: Mode; at: Date };

async function clearingWallet(trx: Knex.Transaction, m: Movement): Promise<string> {
  const purse = clearingPurse(m.currency, m.mode);
  await wallets.ensureOperatorWallet(trx, { kind: 'clearing', purse, holderId: SYSTEM_HOLDER_ID, currency: m.currency, mode: m.mode, createdAt: m.at });
  return purse;
}

/** Merchant wallet → clearing: the payout is on its way to the bank (its own `payout` transaction settles nothing). */
export async function sendPayout(trx: Knex.Transaction, m: Movement) {
  return postTransfer(trx, {
    key: transferKeys.payout(m.payoutId), kind: 'payout', currency: m.currency, mode: m.mode, at: m.at,
    legs: [{ purse: m.purse, amount: -m.amount }, { purse: await clearingWallet(trx, m), amount: m.amount }],
    entries: [{ purse: m.purse, type: 'payout', amount: -m.amount, fee: 0n, source: m.payoutId, availableFrom: m.at, delayed: false, payoutId: m.payoutId }],
    metadata: { payout: m.payoutId },
  });
}

/** Clearing → issuance: the bank paid, the money has left the system. */
export async function completePayout(trx: Knex.Transaction, m: Movement) {
  const issuance = issuancePurse(m.currency, m.mode);
  await wallets.ensureIssuanceWallet(trx, { purse: issuance, holderId: SYSTEM_HOLDER_ID, currency: m.currency, mode: m.mode, createdAt: m.at });
  return postTransfer(trx, {
    key: transferKeys.payoutPaid(m.payoutId), kind: 'payout_paid', currency: m.currency, mode: m.mode, at: m.at,
    legs: [{ purse: await clearingWallet(trx, m), amount: -m.amount }, { purse: issuance, amount: m.amount }],
    metadata: { payout: m.payoutId },
  });
}

/** Clearing → back to the merchant wallet, as a `payout_failure` available at once. */
export async function returnPayout(trx: Knex.Transaction, m: Movement) {
  return postTransfer(trx, {
    key: transferKeys.payoutFailed(m.payoutId), kind: 'payout_failure', currency: m.currency, mode: m.mode, at: m.at,
    legs: [{ purse: await clearingWallet(trx, m), amount: -m.amount }, { purse: m.purse, amount: m.amount }],
    entries: [{ purse: m.purse, type: 'payout_failure', amount: m.amount, fee: 0n, source: m.payoutId, availableFrom: m.at, delayed: false }],
    metadata: { payout: m.payoutId },
  });
}
