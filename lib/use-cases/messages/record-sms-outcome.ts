import type { Deps } from '../shared/deps.js';
import { markSmsFailed, markSmsReceipts, markSmsSent, markSmsUnknown, type ReceiptMatch } from '../../store/sms-messages.js';
import { HOUR_MS } from '../../domain/time.js';
import type { AttemptRecord } from '../../domain/notification.js';

/** A receipt names a message sent at most this long ago (SMSCs keep a message at most a few days; their ids repeat). */
export const RECEIPT_WINDOW_MS = 72 * HOUR_MS;

/** What the SMS gateways report back, written on the message's record. */
export function recordSmsSent(deps: Pick<Deps, 'db' | 'clock'>, smsId: string, gateway: string, gatewayMessageId: string | null, attempt?: AttemptRecord): Promise<void> {
  return markSmsSent(deps.db, smsId, gateway, gatewayMessageId, deps.clock.now(), attempt);
}

export function recordSmsFailed(deps: Pick<Deps, 'db' | 'clock'>, smsId: string, error: string, attempt?: AttemptRecord): Promise<void> {
  return markSmsFailed(deps.db, smsId, error, deps.clock.now(), attempt);
}

export function recordSmsUnknown(deps: Pick<Deps, 'db' | 'clock'>, smsId: string, error: string, attempt?: AttemptRecord): Promise<void> {
  return markSmsUnknown(deps.db, smsId, error, deps.clock.now(), attempt);
}

/**
 * A batch of delivery receipts, each matched by gateway, id and phone to the newest message within RECEIPT_WINDOW_MS; hands back
 * those that matched nothing, marked so that a retry (the send's id may not be written yet) never matches a message recorded later.
 */
export async function recordSmsReceipts<R extends ReceiptMatch>(deps: Pick<Deps, 'db' | 'clock'>, receipts: R[]): Promise<{ changed: number; unmatched: R[] }> {
  const now = deps.clock.now();
  const { changed, matched, horizon } = await markSmsReceipts(deps.db, receipts, new Date(now.getTime() - RECEIPT_WINDOW_MS), now);
  return { changed, unmatched: receipts.filter((_, i) => !matched[i]).map((r) => ({ ...r, horizon: r.horizon ?? horizon })) };
}
