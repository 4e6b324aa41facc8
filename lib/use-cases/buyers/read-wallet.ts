import type { Mode } from '../../domain/ledger.js';
import type { MerchantId } from '../../domain/ids.js';
import type { Deps } from '../shared/deps.js';
import { findWallet } from '../../store/wallets.js';
import { AppError } from '../../domain/errors.js';
import type { Wallet } from '../../domain/wallet.js';

/** A wallet by purse; a merchant reads only its own (another's is as unknown as a missing one). */
export async function readWallet(deps: Pick<Deps, 'db'>, purse: string, merchantId?: MerchantId, mode?: Mode): Promise<Wallet> {
  const wallet = await findWallet(deps.db, purse);
  if (!wallet || (merchantId !== undefined && wallet.merchantId !== merchantId) || (mode !== undefined && wallet.mode !== mode)) {
    throw new AppError('wallet_not_found', merchantId ? `${purse} is not one of your wallets` : `Wallet ${purse} does not exist`);
  }
  return wallet;
}
