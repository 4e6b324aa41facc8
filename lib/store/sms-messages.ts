import { query, queryOne, type Db, type SqlParam } from '../postgres/db.js';
import { attemptCtes } from './notifications.js';
import type { AttemptRecord } from '../domain/notification.js';
import type { Mode } from '../domain/ledger.js';
import type { SmsMessage } from '../domain/sms-message.js';

export const COLUMNS = `id, merchant_id as "merchantId", payment_id as "paymentId", code_id as "codeId", mode, kind, channel, template, fallback_of as "fallbackOf", phone,
  text_redacted as "textRedacted", lang, status, gateway, gateway_message_id as "gatewayMessageId", error,
  created_at as "createdAt", updated_at as "updatedAt"`;

/** An SMS unless `channel` says otherwise (docs/merchant-guide.md#pay-links-by-whatsapp). */
export type NewSms = Omit<SmsMessage, 'status' | 'gateway' | 'gatewayMessageId' | 'error' | 'updatedAt' | 'channel' | 'template' | 'fallbackOf'>
  & Partial<Pick<SmsMessage, 'channel' | 'template' | 'fallbackOf'>>;

export async function insertSms(db: Db, s: NewSms): Promise<SmsMessage> {
  return (await queryOne<SmsMessage>(
    db,
    `insert into sms_messages (id, merchant_id, payment_id, code_id, mode, kind, channel, template, fallback_of, phone, text_redacted, lang, status, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?) returning ${COLUMNS}`,
    [s.id, s.merchantId, s.paymentId, s.codeId, s.mode, s.kind, s.channel ?? 'sms', s.template ? JSON.stringify(s.template) : null, s.fallbackOf ?? null,
      s.phone, s.textRedacted, s.lang, s.createdAt, s.createdAt],
  ))!;
}

/**
 * The gateway's answer on the message, and on a code it carries, in one statement; with `attempt`, the outbox's record of the
 * delivery rides in it too (one round trip and one commit for both, docs/architecture.md#money-statements).
 */
async function markSms(db: Db, id: string, set: { sql: string; params: SqlParam[] }, code: string, attempt?: AttemptRecord): Promise<void> {
  const ride = attempt ? attemptCtes(attempt) : undefined;
  await query(db,
    `with sms as (update sms_messages set ${set.sql} where id = ? and status in ('queued', 'failed', 'unknown') returning code_id),
     code as (update payment_codes set ${code} where id = (select code_id from sms))${ride ? `, ${ride.sql}` : ''}
     select 1`,
    [...set.params, id, ...(ride?.params ?? [])]);
}

/** The gateway took the message; a code it carries now counts as sent. */
export async function markSmsSent(db: Db, id: string, gateway: string, gatewayMessageId: string | null, at: Date, attempt?: AttemptRecord): Promise<void> {
  await markSms(db, id, { sql: `status = 'sent', gateway = ?, gateway_message_id = ?, error = null, updated_at = ?`, params: [gateway, gatewayMessageId, at] },
    `delivery = 'sent'`, attempt);
}

/** No gateway took the message (nothing went out); a code it carries is dead and does not count against the buyer. */
export async function markSmsFailed(db: Db, id: string, error: string, at: Date, attempt?: AttemptRecord): Promise<void> {
  await markSms(db, id, { sql: `status = 'failed', error = ?, updated_at = ?`, params: [error.slice(0, 500), at] }, `delivery = 'failed', status = 'dead'`, attempt);
}

/** The message may have gone out: it counts as sent (a code it carries too), and is never sent again. */
export async function markSmsUnknown(db: Db, id: string, error: string, at: Date, attempt?: AttemptRecord): Promise<void> {
  await markSms(db, id, { sql: `status = 'unknown', error = ?, updated_at = ?`, params: [error.slice(0, 500), at] }, `delivery = 'sent'`, attempt);
}

/**
 * An outbox SMS is about to be handed to a gateway: taken only if nothing of it went out yet (queued, or
 * failed before any gateway took it), and 'unknown' until the gateway answers, so a crash or a second
 * sender can never send it twice. False: it went out already (or may have).
 */
export async function claimSmsForSend(db: Db, id: string, at: Date): Promise<boolean> {
  const rows = await query(db, `update sms_messages set status = 'unknown', updated_at = ? where id = ? and (status = 'queued' or (status = 'failed' and gateway is null)) returning 1`, [at, id]);
  return rows.length === 1;
}

export type TakenSms = { outcome: 'taken' | 'gone' | 'rate_limited' | 'missing'; sms: SmsMessage | undefined };

/**
 * As claimSmsForSend, with the counters the message spends ridden in the same statement (tp_take_sms): one round trip and one
 * commit for the message's row and the service's SMS budget. `free`: the shared test phones, which spend nothing in test mode.
 */
export async function takeSmsForSend(db: Db, id: string, at: Date, hits: unknown[], free: string[]): Promise<TakenSms> {
  const row = await queryOne<{ outcome: TakenSms['outcome'] } & SmsMessage>(db,
    `select t.outcome, ${COLUMNS} from tp_take_sms(?, ?, ?::jsonb, ?::text[]) t, jsonb_populate_record(null::sms_messages, t.sms) s`,
    [id, at, JSON.stringify(hits), free]);
  const { outcome, ...sms } = row!;
  return { outcome, sms: outcome === 'missing' ? undefined : (sms as SmsMessage) };
}

/** `horizon`: on a retry, the sms_messages seq its first write saw last: a message recorded after that is never its match. */
export type ReceiptMatch = { gateway: string; gatewayMessageId: string; phone: string; delivered: boolean; error: string | null; horizon?: string };
/** `matched[i]`: receipt i found its message (whatever that message's status); `horizon`: the last seq given out, for retries. */
export type ReceiptsMarked = { changed: number; matched: boolean[]; horizon: string };

/**
 * Delivery receipts, a batch in one statement. Each changes only the newest message with that gateway id
 * to that phone created after `since`: an SMSC whose counter started again reuses ids, so the id alone
 * could name another buyer's message. Receipts that match nothing cost one row of the VALUES list.
 */
export async function markSmsReceipts(db: Db, receipts: ReceiptMatch[], since: Date, at: Date): Promise<ReceiptsMarked> {
  if (receipts.length === 0) return { changed: 0, matched: [], horizon: '0' };
  const values = receipts.map(() => '(?::text, ?::text, ?::text, ?::boolean, ?::text, ?::int, ?::bigint)').join(', ');
  const params = receipts.flatMap((r, i) => [r.gateway, r.gatewayMessageId, r.phone, r.delivered, r.error, i, r.horizon ?? null]);
  const row = await queryOne<{ changed: number; matched: number[]; horizon: string }>(
    db,
    `with r (gateway, gid, phone, delivered, error, ord, horizon) as (values ${values}),
     matched as (
       select distinct on (r.ord) m.id, r.delivered, r.error, r.ord from r
       join sms_messages m on m.gateway = r.gateway and m.gateway_message_id = r.gid and m.phone = r.phone and m.created_at > ?
         and (r.horizon is null or m.seq <= r.horizon)
       order by r.ord, m.created_at desc, m.seq desc),
     latest as (select distinct on (id) id, delivered, error from matched order by id, ord desc),
     changed as (
       update sms_messages s set status = case when l.delivered then 'delivered' else 'failed' end, error = l.error, updated_at = ?
       from latest l where s.id = l.id and s.status in ('sent', 'queued', 'unknown') returning 1)
     -- the sequence, not the clock: exact across instances, and a message inserted after this statement gets a larger seq
     select (select count(*) from changed)::int as changed, array(select ord from matched) as matched,
       coalesce(pg_sequence_last_value(pg_get_serial_sequence('sms_messages', 'seq')::regclass), 0)::text as horizon`,
    [...params, since, at],
  );
  const matched = new Set(row!.matched);
  return { changed: row!.changed, matched: receipts.map((_, i) => matched.has(i)), horizon: row!.horizon };
}

export async function listSmsOfPayment(db: Db, paymentId: string): Promise<SmsMessage[]> {
  return query<SmsMessage>(db, `select ${COLUMNS} from sms_messages where payment_id = ? order by seq`, [paymentId]);
}

export async function listSmsOfPhoneForMerchant(db: Db, merchantId: string, phone: string, mode: Mode, limit: number): Promise<SmsMessage[]> {
  return query<SmsMessage>(
    db,
    `select ${COLUMNS} from sms_messages where merchant_id = ? and phone = ? and mode = ? order by seq desc limit ?`,
    [merchantId, phone, mode, limit],
  );
}

/** For operators: newest first, optionally of one payment or one phone. */
export async function listSms(db: Db, f: { paymentId?: string; phone?: string; limit: number }): Promise<SmsMessage[]> {
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
  return query<SmsMessage>(db, `select ${COLUMNS} from sms_messages ${where.length ? `where ${where.join(' and ')}` : ''} order by seq desc limit ?`, params);
}

export async function findSms(db: Db, id: string): Promise<SmsMessage | undefined> {
  return queryOne<SmsMessage>(db, `select ${COLUMNS} from sms_messages where id = ?`, [id]);
}

/** Messages of one kind sent (or being sent) to a phone since a time, not before the operator last lifted its limits: the refund-SMS cap counts these. */
export async function countSmsSince(db: Db, phone: string, mode: Mode, kind: 'code' | 'link' | 'refund', since: Date): Promise<number> {
  const row = await queryOne<{ n: number }>(
    db,
    `select count(*)::int as n from sms_messages where phone = ? and mode = ? and kind = ? and (status <> 'failed' or gateway is not null)
       and created_at > greatest(?::timestamptz, coalesce((select lifted_at from limit_lifts where phone = ? and mode = ?), '-infinity'))`,
    [phone, mode, kind, since, phone, mode],
  );
  return row!.n;
}
