import type { Deps } from './deps.js';
import { listFeeWallets as fromStore, type WalletRow } from '../store/wallets.js';
import type { Currency } from '../domain/currency.js';
import type { Mode } from '../domain/ledger.js';

/** The fee wallets of the operator, one per currency and mode that has charged a fee. */
export function listFeeWallets(deps: Pick<Deps, 'db'>, f: { currency?: Currency; mode?: Mode }): Promise<WalletRow[]> {
  return fromStore(deps.db, f);
}
