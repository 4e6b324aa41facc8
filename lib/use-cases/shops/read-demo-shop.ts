import type { Deps } from '../shared/deps.js';
import { listMerchantPursesOf } from '../../store/merchants.js';
import { listShopsOf } from '../../store/shops.js';
import { DEMO_MERCHANT_ID } from '../operators/seed-demo.js';
import { secretKeyOf } from '../../notify/keyring.js';
import type { Shop } from '../../domain/shop.js';

/** The seeded demo shop and its purse, if this database has one. */
export async function readDemoShop(deps: Pick<Deps, 'db' | 'config'>): Promise<{ shop: Shop; purse: string; secretKey: string } | undefined> {
  const [shop] = await listShopsOf(deps.db, DEMO_MERCHANT_ID);
  if (!shop) return undefined;
  const [purse] = await listMerchantPursesOf(deps.db, shop.merchantId);
  return purse ? { shop, purse, secretKey: secretKeyOf(deps.config, shop) } : undefined;
}
