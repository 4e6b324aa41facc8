import type { Knex } from '../postgres/db.js';
import * as ledger from '../store/ledger.js';
import type { Leg, Mode, Transfer } from '../domain/ledger.js';
import type { Currency } from '../domain/currency.js';
import type { Minor } from '../domain/money.js';
import { AppError } from '../domain/errors.js';
import type { BalanceEntry } from '../domain/balance.js';

export type TransferRequest = {
  /** Unique per movement of money: the same key never moves money twice. */
  key: string;
  kind: string;
  currency: Currency;
  mode: Mode;
  legs: Leg[];
  at: Date;
  metadata?: Record<string, unknown>;
  /** Held amounts to release on the same wallets as part of this transfer (capturing a hold). */
  releaseHeld?: Map<string, Minor>;
  /** The balance transactions (docs/merchant-guide.md#balance-payouts-and-statements) explaining every merchant wallet this transfer moves. */
  entries?: BalanceEntry[];
};

export type TransferResult = { transfer: Transfer; replayed: boolean };

/**
 * Moves money inside the caller's transaction, in one statement: tp_transfer (migrations/20261208100000_ledger_functions.ts) locks
 * the wallets in the one order, checks, claims the key, posts, rebalances and writes the balance transactions of merchant
 * wallets. A refusal comes back as a row, so the caller's transaction stays usable; a key that already moved money returns that
 * transfer and changes nothing; the same key for another movement is refused.
 */
export async function postTransfer(trx: Knex.Transaction, req: TransferRequest): Promise<TransferResult> {
  const row = await ledger.callTransfer(trx, req);
  if (row.refusal) throw ledgerRefusal(row.refusal, row.refusedPurse);
  const transfer = { id: row.transferId!, key: req.key, kind: req.kind, currency: req.currency, mode: req.mode, createdAt: row.createdAt!, metadata: req.metadata ?? {} };
  return { transfer, replayed: row.replayed };
}

/** The ledger's refusals (tp_transfer_plan, tp_hold) as the API's errors. */
export function ledgerRefusal(code: string, purse: string | null = null): AppError {
  switch (code) {
    case 'insufficient_funds': return new AppError('insufficient_funds', 'The wallet does not hold enough money', purse ? { purse } : undefined);
    case 'wallet_not_found': return new AppError('wallet_not_found', `Wallet ${purse ?? ''} does not exist`);
    case 'currency_mismatch': return new AppError('currency_mismatch', `Wallet ${purse ?? ''} holds another currency`);
    case 'mode_mismatch': return new AppError('mode_mismatch', `Wallet ${purse ?? ''} is a wallet of the other mode`);
    case 'idempotency_key_reused': return new AppError('idempotency_key_reused', 'This key already moved a different amount or between other wallets');
    default: throw new Error(`unknown ledger refusal ${code}`);
  }
}
