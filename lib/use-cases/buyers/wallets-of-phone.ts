import type { Deps } from '../shared/deps.js';
import { listPhoneWallets } from '../../store/buyer-wallets.js';
import { listEntriesOfPurse } from '../../store/wallet-postings.js';
import { WALLET_PAGE_ENTRIES, type WalletEntry } from '../../domain/wallet-entry.js';
import type { Wallet } from '../../domain/wallet.js';
import type { Phone } from '../../domain/phone.js';

export type WalletOfPhone = { wallet: Wallet; entries: WalletEntry[] };

/**
 * The wallets linked to exactly this phone (docs/operator-guide.md#operator-console: no browsing, no partial search),
 * each with its latest movements unless `withHistory` is false (the cashier's desk shows none).
 */
export async function walletsOfPhone(deps: Pick<Deps, 'db'>, phone: Phone, withHistory = true): Promise<WalletOfPhone[]> {
  const wallets = [...await listPhoneWallets(deps.db, phone, 'live'), ...await listPhoneWallets(deps.db, phone, 'test')];
  return Promise.all(wallets.map(async (wallet) => ({ wallet, entries: withHistory ? await listEntriesOfPurse(deps.db, wallet.purse, WALLET_PAGE_ENTRIES) : [] })));
}
