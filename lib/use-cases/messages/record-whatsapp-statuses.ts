import type { PayDeps } from '../shared/deps.js';
import { inTransaction } from '../../postgres/db.js';
import { lockSmsByGatewayId, setSmsStatus } from '../../store/message-channels.js';
import { statusAfter } from '../../domain/messenger.js';
import { fallBackToSms } from './fall-back-to-sms.js';
import type { WhatsappStatus } from '../../messenger/webhook.js';

/**
 * WhatsApp's status webhooks (docs/operator-guide.md#whatsapp-channel): each moves its message forward only
 * (delivered after read stays read); a `failed` one falls back to SMS once. Returns how many changed.
 */
export async function recordWhatsappStatuses(deps: Pick<PayDeps, 'db' | 'clock' | 'config' | 'notifier'>, statuses: WhatsappStatus[]): Promise<number> {
  // one lock order for every batch: two webhooks naming the same messages cannot deadlock
  const sorted = [...statuses].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const failed: string[] = [];
  const changed = await inTransaction(deps.db, async (trx) => {
    let n = 0;
    for (const s of sorted) {
      const message = await lockSmsByGatewayId(trx, 'whatsapp', s.id);
      const next = message && statusAfter(message.status, s.status);
      if (!message || !next) continue;
      await setSmsStatus(trx, message.id, next, next === 'failed' ? (s.error ?? 'WhatsApp reported the message failed') : null, deps.clock.now());
      if (next === 'failed') failed.push(message.id);
      n += 1;
    }
    return n;
  });
  for (const id of failed) deps.notifier.kick(await fallBackToSms(deps, id));
  return changed;
}
