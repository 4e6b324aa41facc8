import { query, queryOne, type Db } from '../postgres/db.js';
import type { Mode } from '../domain/ledger.js';
import type { PaymentCode } from '../domain/code.js';

export const COLUMNS = `id, payment_id as "paymentId", seq, phone, mode, counter, sent_at as "sentAt", expires_at as "expiresAt",
  wrong_tries as "wrongTries", status, delivery, secret_id as "secretId"`;

/**
 * Serializes everything that counts sends and wrong tries of one phone (across payments and
 * instances) until the transaction ends, so two requests cannot both slip under a limit.
 */
export async function lockPhone(db: Db, phone: string, mode: Mode): Promise<void> {
  await query(db, `select pg_advisory_xact_lock(hashtextextended(?, 0))`, [`phone:${mode}:${phone}`]);
}

export async function currentCode(db: Db, paymentId: string): Promise<PaymentCode | undefined> {
  return queryOne<PaymentCode>(db, `select ${COLUMNS} from payment_codes where payment_id = ? order by seq desc limit 1`, [paymentId]);
}

export async function findCode(db: Db, id: bigint): Promise<PaymentCode | undefined> {
  return queryOne<PaymentCode>(db, `select ${COLUMNS} from payment_codes where id = ?`, [id]);
}

/** The operator lifts a phone's limits: what happened before now no longer counts. */
export async function liftPhoneLimits(db: Db, phone: string, mode: Mode, at: Date, by: string): Promise<void> {
  await query(db, `insert into limit_lifts (phone, mode, lifted_at, lifted_by) values (?, ?, ?, ?)
    on conflict (phone, mode) do update set lifted_at = excluded.lifted_at, lifted_by = excluded.lifted_by`, [phone, mode, at, by]);
}

/** The operator lifts a client's limits (`ip:…` or `key:…`): its wrong tries before now no longer count against its share of any phone. */
export async function liftClientLimits(db: Db, client: string, at: Date, by: string): Promise<void> {
  await query(db, `insert into client_limit_lifts (client, lifted_at, lifted_by) values (?, ?, ?)
    on conflict (client) do update set lifted_at = excluded.lifted_at, lifted_by = excluded.lifted_by`, [client, at, by]);
}

/** Phones whose wrong tries in the last day reached `atLeast` (locked, or nearly), for the operator. */
export async function listPhonesWithWrongTries(db: Db, since: Date, atLeast: number): Promise<{ phone: string; mode: Mode; wrongTries: number }[]> {
  return query(db,
    `select t.phone, t.mode, count(*)::int as "wrongTries" from phone_wrong_tries t
     left join limit_lifts l on l.phone = t.phone and l.mode = t.mode
     where t.at > ? and t.at > coalesce(l.lifted_at, '-infinity') group by t.phone, t.mode having count(*) >= ? order by 3 desc limit 500`,
    [since, atLeast]);
}

/** The new code becomes the only live one of its payment (the older ones die in the same statement). */
export async function killLiveCodes(db: Db, paymentId: string): Promise<void> {
  await query(db, `update payment_codes set status = 'dead' where payment_id = ? and status = 'live'`, [paymentId]);
}
