import type { Deps } from '../use-cases/shared/deps.js';
import type { Outcome } from './operations.js';
import type { Phone } from '../domain/phone.js';
import { walletsOfPhone } from '../use-cases/buyers/wallets-of-phone.js';
import { walletJson } from '../presenters/wallet.js';
import { walletEntryJson } from '../presenters/wallet-entry.js';

/** GET /admin/v1/wallets?phone= (docs/operator-guide.md#operator-console): what the console's wallet page shows, for scripts. */
export async function adminWalletsOfPhone(deps: Deps, phone: Phone): Promise<Outcome> {
  const found = await walletsOfPhone(deps, phone);
  return { created: false, body: { data: found.map(({ wallet, entries }) => ({ ...walletJson(wallet), history: entries.map(walletEntryJson) })) } };
}
