import type { Deps } from '../shared/deps.js';
import { listAlertLog } from '../../store/alert-log.js';
import { readShop } from './manage-shops.js';
import type { MerchantId, ShopId } from '../../domain/ids.js';
import type { AlertLogEntry } from '../../domain/alerts.js';

/** docs/merchant-guide.md#alerts: the shop's alert log, newest first (links sent or refused, clicks, alerts a limit dropped). */
export async function readAlertLog(
  deps: Pick<Deps, 'db'>, shopId: ShopId, merchantId: MerchantId | undefined, page: { limit: number; cursor?: string },
): Promise<{ data: AlertLogEntry[]; hasMore: boolean; nextCursor: string | null }> {
  await readShop(deps, shopId, merchantId);
  const rows = await listAlertLog(deps.db, shopId, page.limit + 1, page.cursor);
  const data = rows.slice(0, page.limit);
  const hasMore = rows.length > page.limit;
  return { data, hasMore, nextCursor: hasMore ? data.at(-1)!.id : null };
}
