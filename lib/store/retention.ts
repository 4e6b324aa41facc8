import { query, type Db } from '../postgres/db.js';

// the last 2 digits kept, the length too; a value masked already masks to itself
const MASK = (col: string) => `case when ${col} is null then null else repeat('*', greatest(length(${col}) - 2, 0)) || right(${col}, 2) end`;

/**
 * One batch of the retention job, in one statement: ended payments past the cutoff, oldest first, claimed
 * with SKIP LOCKED (several instances take different rows), lose their phone (to its last 2 digits),
 * description and merchant fields; their refunds, codes, SMS, wrong tries and stored notification
 * bodies likewise. `redacted_at` marks a payment done, so a row is done once. Answers how many payments.
 * The related rows are found by `= any(array(…))`, one index lookup per id whatever the planner guesses of the batch's size.
 */
export async function redactEndedPayments(db: Db, cutoff: Date, now: Date, limit: number): Promise<number> {
  const rows = await query<{ n: bigint }>(db,
    `with batch as (
       select id, phone from payments
       where redacted_at is null and status in ('succeeded', 'voided', 'failed', 'expired') and coalesce(paid_at, closed_at) < ?
       order by coalesce(paid_at, closed_at) limit ? for update skip locked
     ), done as (
       update payments p set phone = ${MASK('p.phone')}, prerequest_phone = ${MASK('p.prerequest_phone')}, unknown_phone = ${MASK('p.unknown_phone')},
         description = '', custom_fields = '[]'::jsonb, metadata = '{}'::jsonb, buyer_email = null, redacted_at = ?
       from batch where p.id = batch.id returning p.id
     ), refunds_done as (
       update refunds r set phone = ${MASK('r.phone')} where r.payment_id = any(array(select id from done)) returning 1
     ), codes_done as (
       update payment_codes c set phone = ${MASK('c.phone')} where c.payment_id = any(array(select id from done)) returning 1
     ), sms_done as (
       update sms_messages m set phone = ${MASK('m.phone')}, text_redacted = '', template = null where m.payment_id = any(array(select id from done)) returning 1
     ), tries_done as (
       update phone_wrong_tries w set phone = ${MASK('w.phone')}
       where w.phone = any(array(select phone from batch where phone is not null)) and w.payment_id in (select id from batch) returning 1
     ), bodies_done as (
       update notifications n set body = '' where n.payment_id = any(array(select id from done)) and n.status <> 'pending' returning 1
     )
     select count(*) as n from done`,
    [cutoff, limit, now]);
  return Number(rows[0]!.n);
}

/** One batch of message texts older than the cutoff, deleted; the rows stay, so the limits still count them. */
export async function blankOldMessageTexts(db: Db, cutoff: Date, limit: number): Promise<number> {
  const rows = await query(db,
    `update sms_messages set text_redacted = '', template = null where id in (
       select id from sms_messages where text_redacted <> '' and created_at < ? order by created_at limit ? for update skip locked
     ) returning 1`,
    [cutoff, limit]);
  return rows.length;
}

/** One batch of messages of no payment (alerts, sign-in codes) older than the cutoff: their phone masked and text deleted. */
export async function maskOldPaymentlessMessages(db: Db, cutoff: Date, limit: number): Promise<number> {
  const rows = await query(db,
    `update sms_messages set phone = ${MASK('phone')}, text_redacted = '', template = null where id in (
       select id from sms_messages where payment_id is null and phone !~ '^[*]' and created_at < ? order by created_at limit ? for update skip locked
     ) returning 1`,
    [cutoff, limit]);
  return rows.length;
}

/** One batch of the shops' alert log older than the cutoff, deleted: its addresses are personal data, and the log is not part of the books. */
export async function deleteOldAlertLog(db: Db, cutoff: Date, limit: number): Promise<number> {
  const rows = await query(db,
    `delete from alert_log where id in (select id from alert_log where at < ? order by at limit ? for update skip locked) returning 1`,
    [cutoff, limit]);
  return rows.length;
}
