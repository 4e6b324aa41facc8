import { query, queryOne, type Db } from '../postgres/db.js';
import type { Mode } from '../domain/ledger.js';
import type { PaymentCode } from '../domain/code.js';

const COLUMNS = `id, payment_id as "paymentId", seq, phone, mode, counter, sent_at as "sentAt", expires_at as "expiresAt",
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

/**
 * What the limits look at, in one round trip: the payment's counted codes, the phone's counted
 * sends since `sendsSince` (code, pay-link and /me sign-in SMS alike, docs/merchant-guide.md#abuse-limits) and its wrong tries since
 * `wrongSince` (oldest first). A send no gateway took is not counted; one a gateway took counts whatever its receipt says.
 */
export async function codeActivity(
  db: Db, paymentId: string | null, phone: string, mode: Mode, sendsSince: Date, wrongSince: Date,
): Promise<{ codesOfPayment: number; sends: Date[]; wrongTries: Date[] }> {
  const rows = await query<{ kind: 'payment' | 'send' | 'wrong'; at: Date | null }>(
    db,
    `with lifted as (select coalesce((select lifted_at from limit_lifts where phone = ? and mode = ?), '-infinity'::timestamptz) as at)
     select 'payment' as kind, null::timestamptz as at from payment_codes where payment_id = ? and delivery <> 'failed'
     union all
     select 'send', sent_at from payment_codes where phone = ? and mode = ? and sent_at > greatest(?::timestamptz, (select at from lifted)) and delivery <> 'failed'
     union all
     select 'send', created_at from sms_messages where phone = ? and mode = ? and kind in ('link', 'sign_in') and created_at > greatest(?::timestamptz, (select at from lifted)) and (status <> 'failed' or gateway is not null)
     union all
     select 'wrong', at from phone_wrong_tries where phone = ? and mode = ? and at > greatest(?::timestamptz, (select at from lifted))
     order by at`,
    [phone, mode, paymentId, phone, mode, sendsSince, phone, mode, sendsSince, phone, mode, wrongSince],
  );
  const times = (kind: string) => rows.filter((r) => r.kind === kind).map((r) => r.at!);
  return { codesOfPayment: rows.filter((r) => r.kind === 'payment').length, sends: times('send'), wrongTries: times('wrong') };
}

/** Wrong tries of a phone since `since` (not before the operator last lifted its limits), in all and of one client. */
export async function countWrongTriesSince(db: Db, phone: string, mode: Mode, since: Date, client?: string): Promise<{ all: number; ofClient: number }> {
  const row = await queryOne<{ all: number; ofClient: number }>(db,
    `select count(*)::int as all,
       (count(*) filter (where client = ? and at > coalesce((select lifted_at from client_limit_lifts where client = ?), '-infinity')))::int as "ofClient"
     from phone_wrong_tries
     where phone = ? and mode = ? and at > greatest(?::timestamptz, coalesce((select lifted_at from limit_lifts where phone = ? and mode = ?), '-infinity'))`,
    [client ?? null, client ?? null, phone, mode, since, phone, mode]);
  return row!;
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
export async function insertCode(db: Db, c: { paymentId: string; phone: string; mode: Mode; counter: number; sentAt: Date; expiresAt: Date; secretId: string }): Promise<PaymentCode> {
  const row = await queryOne<PaymentCode>(
    db,
    `with killed as (update payment_codes set status = 'dead' where payment_id = ? and status = 'live')
     insert into payment_codes (payment_id, seq, phone, mode, counter, sent_at, expires_at, status, secret_id)
     values (?, coalesce((select max(seq) from payment_codes where payment_id = ?), 0) + 1, ?, ?, ?, ?, ?, 'live', ?)
     returning ${COLUMNS}`,
    [c.paymentId, c.paymentId, c.paymentId, c.phone, c.mode, c.counter, c.sentAt, c.expiresAt, c.secretId],
  );
  return row!;
}

export async function recordWrongTry(db: Db, code: PaymentCode, at: Date, client?: string): Promise<number> {
  const row = await queryOne<{ wrongTries: number }>(
    db,
    `update payment_codes set wrong_tries = wrong_tries + 1 where id = ? returning wrong_tries as "wrongTries"`,
    [code.id],
  );
  await query(db, `insert into phone_wrong_tries (phone, mode, payment_id, at, client) values (?, ?, ?, ?, ?)`, [code.phone, code.mode, code.paymentId, at, client ?? null]);
  return row!.wrongTries;
}

export async function setCodeStatus(db: Db, id: bigint, status: 'used' | 'dead'): Promise<void> {
  await query(db, `update payment_codes set status = ? where id = ?`, [status, id]);
}

export async function killLiveCodes(db: Db, paymentId: string): Promise<void> {
  await query(db, `update payment_codes set status = 'dead' where payment_id = ? and status = 'live'`, [paymentId]);
}
