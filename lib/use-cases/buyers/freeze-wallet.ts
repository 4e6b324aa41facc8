import type { Deps } from '../shared/deps.js';
import { inTransaction } from '../../postgres/db.js';
import { lockPhoneWallets, setWalletsStatus } from '../../store/buyer-wallets.js';
import { insertAudit } from '../../store/audit-log.js';
import { spendActionToken, type ActingOnce } from '../shared/action-tokens.js';
import { AppError } from '../../domain/errors.js';
import { mayUnfreeze, type FreezeBy } from '../../domain/wallet-freeze.js';
import type { WalletStatus } from '../../domain/wallet.js';
import type { Phone } from '../../domain/phone.js';

export type FreezeInput = { phone: Phone; by: FreezeBy; /** The form's one-time token (/me, the console), spent with the change. */ once?: ActingOnce };
/** The purses of the phone, and those this call changed (none: they were so already). */
export type FreezeResult = { purses: string[]; changed: string[] };

/**
 * "I lost my phone" (docs/buyer-guide.md#freeze-i-lost-my-phone): every wallet linked to the phone, both modes, refuses
 * payments from now on; no code or pay link is sent for it (use-cases/payments/payer-wallet.ts). Refunds still arrive.
 */
export function freezeWallets(deps: Pick<Deps, 'db' | 'clock'>, input: FreezeInput): Promise<FreezeResult> {
  return setStatus(deps, input, 'frozen');
}

/** Only an operator or a passkey sign-in unfreezes: whoever found the phone can sign in with an SMS code. */
export async function unfreezeWallets(deps: Pick<Deps, 'db' | 'clock'>, input: FreezeInput): Promise<FreezeResult> {
  if (!mayUnfreeze(input.by)) throw new AppError('forbidden', 'An SMS code alone cannot unfreeze a wallet: ask the operator, or sign in with a passkey');
  return setStatus(deps, input, 'active');
}

async function setStatus(deps: Pick<Deps, 'db' | 'clock'>, input: FreezeInput, status: WalletStatus): Promise<FreezeResult> {
  const at = deps.clock.now();
  return inTransaction(deps.db, async (trx) => {
    const purses = (await lockPhoneWallets(trx, input.phone)).map((w) => w.purse);
    if (!purses.length) throw new AppError('wallet_not_found', 'No wallet is linked to this phone');
    const changed = await setWalletsStatus(trx, purses, status, at);
    const { by } = input;
    // the audit names the purses, never the phone (erasure leaves no digits of it behind)
    await insertAudit(trx, {
      audience: by.kind === 'operator' ? 'console' : 'me', merchantId: null, userId: by.userId, email: by.kind === 'operator' ? by.email : null,
      action: status === 'frozen' ? 'wallet_freeze' : 'wallet_unfreeze', target: purses[0]!, ip: by.ip, at, details: { purses, changed, by: by.kind },
    });
    const result = { purses, changed };
    if (input.once) await spendActionToken(deps, trx, input.once, result);
    return result;
  });
}
