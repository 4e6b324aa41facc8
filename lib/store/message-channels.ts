import { queryOne, query, type Db } from '../postgres/db.js';
import { COLUMNS } from './sms-messages.js';
import type { SmsMessage, SmsStatus } from '../domain/sms-message.js';

/** The message a gateway's id names (WhatsApp ids, `wamid.…`, are unique), locked until the caller's transaction ends. */
export async function lockSmsByGatewayId(db: Db, gateway: string, gatewayMessageId: string): Promise<SmsMessage | undefined> {
  return queryOne<SmsMessage>(
    db,
    `select ${COLUMNS} from sms_messages where gateway = ? and gateway_message_id = ? order by seq desc limit 1 for update`,
    [gateway, gatewayMessageId],
  );
}

export async function lockSms(db: Db, id: string): Promise<SmsMessage | undefined> {
  return queryOne<SmsMessage>(db, `select ${COLUMNS} from sms_messages where id = ? for update`, [id]);
}

export async function setSmsStatus(db: Db, id: string, status: SmsStatus, error: string | null, at: Date): Promise<void> {
  await query(db, `update sms_messages set status = ?, error = coalesce(?, error), updated_at = ? where id = ?`, [status, error?.slice(0, 500) ?? null, at, id]);
}

/** The SMS sent in place of a failed WhatsApp message, if there is one. */
export async function findFallbackOf(db: Db, id: string): Promise<SmsMessage | undefined> {
  return queryOne<SmsMessage>(db, `select ${COLUMNS} from sms_messages where fallback_of = ?`, [id]);
}
