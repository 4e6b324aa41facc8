import type { Deps } from '../shared/deps.js';
import { listMerchantWallets } from '../../store/wallets.js';
import { unsettledSums } from '../../store/balance-transactions.js';
import { summarizeBalance } from '../../domain/balance.js';
import type { MerchantId } from '../../domain/ids.js';
import type { Mode } from '../../domain/ledger.js';
import { findMerchant } from '../../store/merchants.js';
import { listShopsOf } from '../../store/shops.js';
import { feeRuleOf } from '../../domain/fee.js';

/** docs/merchant-guide.md#balance-payouts-and-statements GET /balance: each payee purse of the merchant with its balance, held, pending and payable money. */
export async function readBalance(deps: Pick<Deps, 'db' | 'clock'>, merchantId: MerchantId, mode?: Mode) {
  // one mode's purses: a test key sees only the test purses (docs/merchant-guide.md#test-mode)
  const purses = await listMerchantWallets(deps.db, merchantId, mode);
  const sums = await unsettledSums(deps.db, purses.map((w) => w.purse), deps.clock.now());
  return purses.map((w) => ({
    purse: w.purse, currency: w.currency, shopId: w.shopId, mode: w.mode,
    ...summarizeBalance(w, sums.get(w.purse) ?? { available: 0n, pending: 0n }),
  }));
}

/**
 * The office's balance page (docs/merchant-guide.md#back-office "Running the shop alone"): each purse with its shop's fee
 * rule, and the merchant's payout schedule, minimum and delay, read-only where the money is.
 */
export async function readOfficeBalance(deps: Pick<Deps, 'db' | 'clock' | 'config'>, merchantId: MerchantId, mode?: Mode) {
  const [balances, merchant, shops] = await Promise.all([readBalance(deps, merchantId, mode), findMerchant(deps.db, merchantId), listShopsOf(deps.db, merchantId)]);
  const shopOf = new Map(shops.map((s) => [s.id as string, s]));
  return {
    balances: balances.map((b) => {
      const shop = b.shopId ? shopOf.get(b.shopId) : undefined;
      return { ...b, shopName: shop?.name ?? null, fee: shop ? feeRuleOf(shop, deps.config.defaultFee) : deps.config.defaultFee };
    }),
    payoutSettings: merchant && { schedule: merchant.payoutSchedule, minimum: merchant.payoutMinimum, delayDays: merchant.payoutDelayDays },
  };
}
