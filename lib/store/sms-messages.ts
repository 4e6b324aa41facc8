import { query, queryOne, type Db } from './db.js';
import type { Mode } from '../domain/ledger.js';
import type { MerchantId, PaymentId, SmsId } from '../domain/ids.js';

export type SmsKind = 'code' | 'link' | 'refund' | 'alert';
export type SmsStatus = 'queued' | 'sent' | 'delivered' | 'failed';

export type SmsRow = {
  id: SmsId;
  merchantId: MerchantId | null;
  paymentId: PaymentId | null;
  codeId: bigint | null;
  mode: Mode;
  kind: SmsKind;
  phone: string;
  textRedacted: string;
  lang: string;
  status: SmsStatus;
  gateway: string | null;
  gatewayMessageId: string | null;
  error: string | null;
  createdAt: Date;
  updatedAt: Date;
};

const COLUMNS = `id, merchant_id as "merchantId", payment_id as "paymentId", code_id as "codeId", mode, kind, phone,
  text_redacted as "textRedacted", lang, status, gateway, gateway_message_id as "gatewayMessageId", error,
  created_at as "createdAt", updated_at as "updatedAt"`;

export async function insertSms(db: Db, s: Omit<SmsRow, 'status' | 'gateway' | 'gatewayMessageId' | 'error' | 'updatedAt'>): Promise<SmsRow> {
  return (await queryOne<SmsRow>(
    db,
    `insert into sms_messages (id, merchant_id, payment_id, code_id, mode, kind, phone, text_redacted, lang, status, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?) returning ${COLUMNS}`,
    [s.id, s.merchantId, s.paymentId, s.codeId, s.mode, s.kind, s.phone, s.textRedacted, s.lang, s.createdAt, s.createdAt],
  ))!;
}

/** The gateway took the message; a code it carries now counts as sent. One statement for both. */
export async function markSmsSent(db: Db, id: string, gateway: string, gatewayMessageId: string | null, at: Date): Promise<void> {
  await query(
    db,
    `with sms as (update sms_messages set status = 'sent', gateway = ?, gateway_message_id = ?, error = null, updated_at = ?
                  where id = ? and status in ('queued', 'failed') returning code_id)
     update payment_codes set delivery = 'sent' where id = (select code_id from sms)`,
    [gateway, gatewayMessageId, at, id],
  );
}

/** No gateway took the message; a code it carries is dead and does not count against the buyer. */
export async function markSmsFailed(db: Db, id: string, error: string, at: Date): Promise<void> {
  await query(
    db,
    `with sms as (update sms_messages set status = 'failed', error = ?, updated_at = ? where id = ? and status in ('queued', 'failed') returning code_id)
     update payment_codes set delivery = 'failed', status = 'dead' where id = (select code_id from sms)`,
    [error.slice(0, 500), at, id],
  );
}

/** A delivery receipt from the gateway, matched by the id it gave the message. */
export async function markSmsReceipt(db: Db, gateway: string, gatewayMessageId: string, delivered: boolean, error: string | null, at: Date): Promise<number> {
  const rows = await query(
    db,
    `update sms_messages set status = ?, error = ?, updated_at = ? where gateway = ? and gateway_message_id = ? and status in ('sent', 'queued') returning 1`,
    [delivered ? 'delivered' : 'failed', error, at, gateway, gatewayMessageId],
  );
  return rows.length;
}

export async function listSmsOfPayment(db: Db, paymentId: string): Promise<SmsRow[]> {
  return query<SmsRow>(db, `select ${COLUMNS} from sms_messages where payment_id = ? order by seq`, [paymentId]);
}

export async function listSmsOfPhoneForMerchant(db: Db, merchantId: string, phone: string, mode: Mode, limit: number): Promise<SmsRow[]> {
  return query<SmsRow>(
    db,
    `select ${COLUMNS} from sms_messages where merchant_id = ? and phone = ? and mode = ? order by seq desc limit ?`,
    [merchantId, phone, mode, limit],
  );
}

/** For operators: newest first, optionally of one payment or one phone. */
export async function listSms(db: Db, f: { paymentId?: string; phone?: string; limit: number }): Promise<SmsRow[]> {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (f.paymentId) {
    where.push('payment_id = ?');
    params.push(f.paymentId);
  }
  if (f.phone) {
    where.push('phone = ?');
    params.push(f.phone);
  }
  params.push(f.limit);
  return query<SmsRow>(db, `select ${COLUMNS} from sms_messages ${where.length ? `where ${where.join(' and ')}` : ''} order by seq desc limit ?`, params);
}

export async function findSms(db: Db, id: string): Promise<SmsRow | undefined> {
  return queryOne<SmsRow>(db, `select ${COLUMNS} from sms_messages where id = ?`, [id]);
}

/** Messages of one kind sent (or being sent) to a phone since a time: the refund-SMS cap counts these. */
export async function countSmsSince(db: Db, phone: string, mode: Mode, kind: 'code' | 'link' | 'refund', since: Date): Promise<number> {
  const row = await queryOne<{ n: number }>(
    db,
    `select count(*)::int as n from sms_messages where phone = ? and mode = ? and kind = ? and created_at > ? and status <> 'failed'`,
    [phone, mode, kind, since],
  );
  return row!.n;
}
