import type { Knex } from '../../postgres/db.js';
import { callPayerWallet } from '../../store/money-statements.js';
import { frozenError } from '../../domain/wallet-freeze.js';
import type { Currency } from '../../domain/currency.js';
import type { Mode } from '../../domain/ledger.js';

export type PayerWallet = { purse: string; holderId: string };

/**
 * The wallet a payment would debit, read by each path that sends a code or a pay link or approves with a passkey: tp_payer_wallet
 * refuses a frozen one, which is answered `409 wallet_frozen` (docs/buyer-guide.md#freeze-i-lost-my-phone); confirm and create ask the same function.
 */
export async function payerWallet(trx: Knex.Transaction, phone: string, currency: Currency, mode: Mode): Promise<PayerWallet | undefined> {
  const row = await callPayerWallet(trx, phone, currency, mode);
  if (row?.refusal) throw frozenError();
  return row && { purse: row.purse, holderId: row.holderId };
}
