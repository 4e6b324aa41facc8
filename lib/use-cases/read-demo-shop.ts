import type { Deps } from './deps.js';
import { findMerchant, listMerchantPursesOf, type MerchantRow } from '../store/merchants.js';
import { DEMO_MERCHANT_ID } from './seed-demo.js';
import { secretKeyOf } from '../notify/keyring.js';

/** The seeded demo shop and its purse, if this database has one. */
export async function readDemoShop(deps: Pick<Deps, 'db' | 'config'>): Promise<{ merchant: MerchantRow; purse: string; secretKey: string } | undefined> {
  const merchant = await findMerchant(deps.db, DEMO_MERCHANT_ID);
  if (!merchant) return undefined;
  const [purse] = await listMerchantPursesOf(deps.db, merchant.id);
  return purse ? { merchant, purse, secretKey: secretKeyOf(deps.config, merchant) } : undefined;
}
