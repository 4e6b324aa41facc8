import type { Deps } from '../shared/deps.js';
import * as notifications from '../../store/notifications.js';
import { decodeSeqCursor, encodeSeqCursor, type Page } from '../shared/seq-cursor.js';
import type { Notification } from '../../domain/notification.js';

/** Dead (or pending) notifications of every merchant, newest first, a page at a time (docs/operator-guide.md#operator-console). */
export async function listUndeliveredNotifications(deps: Pick<Deps, 'db'>, f: { status: 'dead' | 'pending'; cursor?: string; limit: number }): Promise<Page<Notification>> {
  const rows = await notifications.listUndelivered(deps.db, { status: f.status, beforeSeq: decodeSeqCursor(f.cursor), limit: f.limit + 1 });
  const data = rows.slice(0, f.limit);
  const hasMore = rows.length > f.limit;
  return { data, hasMore, nextCursor: hasMore ? encodeSeqCursor(rows[f.limit - 1]!.seq) : null };
}
