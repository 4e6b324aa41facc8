import type { Deps } from '../shared/deps.js';
import { inTransaction } from '../../postgres/db.js';
import { redeemVoucher, type RedeemInput, type Redeemed } from './redeem-voucher.js';
import { spendActionToken, type ActingOnce } from '../shared/action-tokens.js';

/**
 * The /me form's redemption (docs/buyer-guide.md#me--the-buyers-wallet-page): the voucher itself is redeemed once whatever
 * happens (its row lock decides); the form's one-time token is spent right after, so a second post of the
 * same form is sent to the first one's outcome instead of being told the voucher is used.
 */
export async function redeemFromForm(deps: Pick<Deps, 'db' | 'clock' | 'config' | 'observer'>, input: RedeemInput, once?: ActingOnce): Promise<Redeemed> {
  const redeemed = await redeemVoucher(deps, input);
  if (once) await inTransaction(deps.db, (trx) => spendActionToken(deps, trx, once, redeemed));
  return redeemed;
}
