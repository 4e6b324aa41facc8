import { query, type Db } from '../postgres/db.js';
import type { DevMessage } from '../domain/dev-message.js';

const COLUMNS = `id, kind, channel, recipient, sender, subject, text, html, reference, payment_id as "paymentId", at`;

/** Keeps one message, and lets go of every message older than `since` and of its kind's past the newest `newest`. */
export async function keepDevMessage(db: Db, m: DevMessage, bound: { newest: number; since: Date }): Promise<void> {
  await query(db, `insert into dev_inbox (id, kind, channel, recipient, sender, subject, text, html, reference, payment_id, at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [m.id, m.kind, m.channel ?? 'sms', m.recipient, m.sender, m.subject, m.text, m.html, m.reference, m.paymentId, m.at]);
  await query(db, `delete from dev_inbox where at < ? or (kind = ? and seq <= (select seq from dev_inbox where kind = ? order by seq desc offset ? limit 1))`,
    [bound.since, m.kind, m.kind, bound.newest]);
}

/** Newest first; of one recipient when given. */
export async function listDevMessages(db: Db, kind: DevMessage['kind'], recipient: string | undefined, limit: number): Promise<DevMessage[]> {
  return query<DevMessage>(db, `select ${COLUMNS} from dev_inbox where kind = ? ${recipient === undefined ? '' : 'and recipient = ?'} order by seq desc limit ?`,
    recipient === undefined ? [kind, limit] : [kind, recipient, limit]);
}
