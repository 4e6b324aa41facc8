import type { Deps } from '../shared/deps.js';
import { findShopLogo } from '../../store/shops.js';
import type { ShopId } from '../../domain/ids.js';

/** docs/merchant-guide.md#brand: a shop's current logo by its hash (an old hash is gone: the pages name the new one). */
export async function readShopLogo(deps: Pick<Deps, 'db'>, shopId: ShopId, hash: string) {
  return findShopLogo(deps.db, shopId, hash);
}
