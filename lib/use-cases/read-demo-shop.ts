import type { Deps } from './deps.js';
import { findMerchant, listMerchantPursesOf, type MerchantRow } from '../store/merchants.js';
import { DEMO_MERCHANT_ID } from './seed-demo.js';

/** The seeded demo shop and its purse, if this database has one. */
export async function readDemoShop(deps: Pick<Deps, 'db'>): Promise<{ merchant: MerchantRow; purse: string } | undefined> {
  const merchant = await findMerchant(deps.db, DEMO_MERCHANT_ID);
  if (!merchant) return undefined;
  const [purse] = await listMerchantPursesOf(deps.db, merchant.id);
  return purse ? { merchant, purse } : undefined;
}
