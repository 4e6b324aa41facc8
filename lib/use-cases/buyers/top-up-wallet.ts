import type { Deps } from '../shared/deps.js';
import { inTransaction, type Knex } from '../../postgres/db.js';
import * as wallets from '../../store/wallets.js';
import { postTransfer } from '../../ledger/transfer.js';
import { AppError } from '../../domain/errors.js';
import { issuancePurse, SYSTEM_HOLDER_ID, type Wallet } from '../../domain/wallet.js';
import { newId } from '../../domain/ids.js';
import { transferKeys } from '../../domain/transfer-keys.js';
import type { Minor } from '../../domain/money.js';

export type TopUpResult = { transferId: bigint; replayed: boolean; wallet: Wallet };

/** Issues new money into a wallet from its currency's issuance account (operators only). */
export async function topUpWallet(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { purse: string; amount: Minor; idempotencyKey?: string },
): Promise<TopUpResult> {
  return inTransaction(deps.db, (trx) => topUpWithin(trx, deps.clock.now(), { ...input, key: transferKeys.topUp(input.purse, input.idempotencyKey ?? newId('key')) }));
}

/** The top-up inside the caller's transaction (a cashier's cash-in counts its limit in the same one): `key` is the transfer's. */
export async function topUpWithin(trx: Knex.Transaction, at: Date, input: { purse: string; amount: Minor; key: string; idempotencyKey?: string }): Promise<TopUpResult> {
  const wallet = await wallets.findWallet(trx, input.purse);
  if (!wallet) throw new AppError('wallet_not_found', `Wallet ${input.purse} does not exist`);
  // the voucher float holds exactly the active vouchers' money (docs/operator-guide.md#vouchers-and-cash-in)
  if (wallet.kind === 'system' || wallet.kind === 'vouchers') throw new AppError('invalid_request', 'System accounts cannot be topped up');
  const source = issuancePurse(wallet.currency, wallet.mode);
  await wallets.ensureIssuanceWallet(trx, { purse: source, holderId: SYSTEM_HOLDER_ID, currency: wallet.currency, mode: wallet.mode, createdAt: at });
  const { transfer, replayed } = await postTransfer(trx, {
    key: input.key,
    kind: 'topup',
    currency: wallet.currency,
    mode: wallet.mode,
    legs: [
      { purse: source, amount: -input.amount },
      { purse: input.purse, amount: input.amount },
    ],
    at,
    // money the operator puts into a merchant wallet by hand is an adjustment on its statement
    entries: wallet.kind === 'merchant'
      ? [{ purse: wallet.purse, type: 'adjustment', amount: input.amount, fee: 0n, source: `topup:${input.idempotencyKey ?? 'operator'}`, availableFrom: at, delayed: false }]
      : [],
  });
  return { transferId: transfer.id, replayed, wallet: (await wallets.findWallet(trx, input.purse))! };
}
