import { query, queryOne, type Db } from './db.js';
import type { Mode } from '../domain/ledger.js';
import type { PaymentId } from '../domain/ids.js';

export type CodeRow = {
  id: bigint;
  paymentId: PaymentId;
  seq: number;
  phone: string;
  mode: Mode;
  counter: bigint;
  sentAt: Date;
  expiresAt: Date;
  wrongTries: number;
  status: 'live' | 'used' | 'dead';
  delivery: 'pending' | 'sent' | 'failed';
};

const COLUMNS = `id, payment_id as "paymentId", seq, phone, mode, counter, sent_at as "sentAt", expires_at as "expiresAt",
  wrong_tries as "wrongTries", status, delivery`;

/**
 * Serializes everything that counts sends and wrong tries of one phone (across payments and
 * instances) until the transaction ends, so two requests cannot both slip under a limit.
 */
export async function lockPhone(db: Db, phone: string, mode: Mode): Promise<void> {
  await query(db, `select pg_advisory_xact_lock(hashtextextended(?, 0))`, [`phone:${mode}:${phone}`]);
}

export async function currentCode(db: Db, paymentId: string): Promise<CodeRow | undefined> {
  return queryOne<CodeRow>(db, `select ${COLUMNS} from payment_codes where payment_id = ? order by seq desc limit 1`, [paymentId]);
}

export async function findCode(db: Db, id: bigint): Promise<CodeRow | undefined> {
  return queryOne<CodeRow>(db, `select ${COLUMNS} from payment_codes where id = ?`, [id]);
}

/**
 * What the limits look at, in one round trip: the payment's counted codes, the phone's counted
 * sends since `sendsSince` (code and pay-link SMS alike, spec §14) and its wrong tries since
 * `wrongSince` (oldest first). A send the gateway refused is not counted.
 */
export async function codeActivity(
  db: Db, paymentId: string, phone: string, mode: Mode, sendsSince: Date, wrongSince: Date,
): Promise<{ codesOfPayment: number; sends: Date[]; wrongTries: Date[] }> {
  const rows = await query<{ kind: 'payment' | 'send' | 'wrong'; at: Date | null }>(
    db,
    `select 'payment' as kind, null::timestamptz as at from payment_codes where payment_id = ? and delivery <> 'failed'
     union all
     select 'send', sent_at from payment_codes where phone = ? and mode = ? and sent_at > ? and delivery <> 'failed'
     union all
     select 'send', created_at from sms_messages where phone = ? and mode = ? and kind = 'link' and created_at > ? and status <> 'failed'
     union all
     select 'wrong', at from phone_wrong_tries where phone = ? and mode = ? and at > ?
     order by at`,
    [paymentId, phone, mode, sendsSince, phone, mode, sendsSince, phone, mode, wrongSince],
  );
  const times = (kind: string) => rows.filter((r) => r.kind === kind).map((r) => r.at!);
  return { codesOfPayment: rows.filter((r) => r.kind === 'payment').length, sends: times('send'), wrongTries: times('wrong') };
}

export async function countWrongTriesSince(db: Db, phone: string, mode: Mode, since: Date): Promise<number> {
  const row = await queryOne<{ n: number }>(db, `select count(*)::int as n from phone_wrong_tries where phone = ? and mode = ? and at > ?`, [phone, mode, since]);
  return row!.n;
}

/** The new code becomes the only live one of its payment (the older ones die in the same statement). */
export async function insertCode(db: Db, c: { paymentId: string; phone: string; mode: Mode; counter: number; sentAt: Date; expiresAt: Date }): Promise<CodeRow> {
  const row = await queryOne<CodeRow>(
    db,
    `with killed as (update payment_codes set status = 'dead' where payment_id = ? and status = 'live')
     insert into payment_codes (payment_id, seq, phone, mode, counter, sent_at, expires_at, status)
     values (?, coalesce((select max(seq) from payment_codes where payment_id = ?), 0) + 1, ?, ?, ?, ?, ?, 'live')
     returning ${COLUMNS}`,
    [c.paymentId, c.paymentId, c.paymentId, c.phone, c.mode, c.counter, c.sentAt, c.expiresAt],
  );
  return row!;
}

export async function recordWrongTry(db: Db, code: CodeRow, at: Date): Promise<number> {
  const row = await queryOne<{ wrongTries: number }>(
    db,
    `update payment_codes set wrong_tries = wrong_tries + 1 where id = ? returning wrong_tries as "wrongTries"`,
    [code.id],
  );
  await query(db, `insert into phone_wrong_tries (phone, mode, payment_id, at) values (?, ?, ?, ?)`, [code.phone, code.mode, code.paymentId, at]);
  return row!.wrongTries;
}

export async function setCodeStatus(db: Db, id: bigint, status: 'used' | 'dead'): Promise<void> {
  await query(db, `update payment_codes set status = ? where id = ?`, [status, id]);
}

export async function killLiveCodes(db: Db, paymentId: string): Promise<void> {
  await query(db, `update payment_codes set status = 'dead' where payment_id = ? and status = 'live'`, [paymentId]);
}
