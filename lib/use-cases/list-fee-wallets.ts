import type { Deps } from './deps.js';
import { listFeeWallets as fromStore, type FeeWalletRow } from '../store/wallets.js';
import type { Currency } from '../domain/currency.js';
import type { Mode } from '../domain/ledger.js';

/** The fee wallets of the operator, one per currency and mode, all its accounts summed. */
export function listFeeWallets(deps: Pick<Deps, 'db'>, f: { currency?: Currency; mode?: Mode }): Promise<FeeWalletRow[]> {
  return fromStore(deps.db, f);
}
