import type { Deps } from '../shared/deps.js';
import { listMerchantWallets } from '../../store/wallets.js';
import { unsettledSums } from '../../store/balance-transactions.js';
import { summarizeBalance } from '../../domain/balance.js';
import type { MerchantId } from '../../domain/ids.js';

/** docs/merchant-guide.md#balance-payouts-and-statements GET /balance: each payee purse of the merchant with its balance, held, pending and payable money. */
export async function readBalance(deps: Pick<Deps, 'db' | 'clock'>, merchantId: MerchantId) {
  const purses = await listMerchantWallets(deps.db, merchantId);
  const sums = await unsettledSums(deps.db, purses.map((w) => w.purse), deps.clock.now());
  return purses.map((w) => ({
    purse: w.purse, currency: w.currency, shopId: w.shopId,
    ...summarizeBalance(w, sums.get(w.purse) ?? { available: 0n, pending: 0n }),
  }));
}
