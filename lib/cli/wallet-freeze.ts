import type { Deps } from '../use-cases/shared/deps.js';
import { freezeWallets, unfreezeWallets } from '../use-cases/buyers/freeze-wallet.js';
import { maskPhone, type Phone } from '../domain/phone.js';

/**
 * `wallets:freeze` and `wallets:unfreeze` (docs/operator-guide.md#operator-api-and-cli): the console's use-cases, audited
 * as the operator `by` (`cli:<user>`); the answer names the phone masked only.
 */
export async function cliSetWalletsFrozen(deps: Pick<Deps, 'db' | 'clock'>, name: 'freeze' | 'unfreeze', phone: Phone, by: string) {
  const input = { phone, by: { kind: 'operator' as const, userId: null, email: by, ip: null } };
  const { purses, changed } = await (name === 'freeze' ? freezeWallets(deps, input) : unfreezeWallets(deps, input));
  return { created: false, body: { phone: maskPhone(phone), status: name === 'freeze' ? 'frozen' : 'active', purses, changed } };
}
