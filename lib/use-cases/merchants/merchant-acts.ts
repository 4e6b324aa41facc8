import type { Db } from '../../postgres/db.js';
import { findMerchant, shareMerchant } from '../../store/merchants.js';
import type { Deps } from '../shared/deps.js';
import { AppError } from '../../domain/errors.js';
import type { MerchantId } from '../../domain/ids.js';
import type { Merchant } from '../../domain/merchant.js';

/**
 * docs/merchant-guide.md#shops-methods-and-keys and docs/merchant-guide.md#back-office: a suspended merchant still reads, but neither its API keys nor its office users
 * act (refund, capture, void, pay link, redeliver, keys, secrets, shops, alerts, users); only the
 * operator does, and the operator's calls name no acting merchant. Every use-case that acts for a
 * merchant calls this inside its transaction (a share lock: a suspension waits for an action in flight).
 */
export async function assertMerchantActs(db: Db, merchantId: MerchantId): Promise<Merchant> {
  const merchant = await shareMerchant(db, merchantId);
  if (!merchant) throw new AppError('merchant_not_found', `No merchant ${merchantId.slice(0, 40)}`);
  return refuseSuspended(merchant);
}

/** The same rule for a merchant row the caller has locked already. */
export function refuseSuspended<M extends Pick<Merchant, 'status'>>(merchant: M): M {
  if (merchant.status === 'suspended') throw new AppError('merchant_suspended', 'This merchant is suspended: only the operator can act on its account now.');
  return merchant;
}

/** For pages: a suspended merchant's office shows itself read-only, with a banner. */
export async function merchantSuspended(deps: Pick<Deps, 'db'>, merchantId: MerchantId): Promise<boolean> {
  return (await findMerchant(deps.db, merchantId))?.status === 'suspended';
}
