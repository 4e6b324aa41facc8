import { query, queryOne, type Db } from '../postgres/db.js';
import type { SignInCode } from '../domain/sign-in.js';

const COLUMNS = `id, phone, counter, secret_id as "secretId", sent_at as "sentAt", expires_at as "expiresAt", wrong_tries as "wrongTries", status, delivery`;

/** The phone's newest sign-in code (live or not): the cooldown and the check look at it. */
export async function currentSignInCode(db: Db, phone: string): Promise<SignInCode | undefined> {
  return queryOne<SignInCode>(db, `select ${COLUMNS} from sign_in_codes where phone = ? order by id desc limit 1`, [phone]);
}

/** The new code becomes the phone's only live one (the older one dies in the same statement). */
export async function insertSignInCode(db: Db, c: { phone: string; counter: number; secretId: string; sentAt: Date; expiresAt: Date; codeHash: string }): Promise<SignInCode> {
  return (await queryOne<SignInCode>(db,
    `with killed as (update sign_in_codes set status = 'dead' where phone = ? and status = 'live')
     insert into sign_in_codes (phone, counter, secret_id, sent_at, expires_at, code_hash) values (?, ?, ?, ?, ?, ?) returning ${COLUMNS}`,
    [c.phone, c.phone, c.counter, c.secretId, c.sentAt, c.expiresAt, c.codeHash]))!;
}

/** What the gateway said: a code no gateway took is dead and does not count against the buyer. */
export async function markSignInDelivery(db: Db, id: bigint, delivery: 'sent' | 'failed'): Promise<void> {
  await query(db, `update sign_in_codes set delivery = ?, status = case when ? = 'failed' then 'dead' else status end where id = ?`, [delivery, delivery, id]);
}

/** A batch of sign-in codes sent before `cutoff`: no limit counts them any more. */
export async function deleteSentBefore(db: Db, cutoff: Date, limit: number): Promise<number> {
  return (await query(db,
    `delete from sign_in_codes where id in (select id from sign_in_codes where sent_at < ? order by sent_at limit ?) returning 1`, [cutoff, limit])).length;
}

/** A batch of the wrong tries of no payment (sign-in codes) older than `cutoff`: past every window that counts them. */
export async function deletePaymentlessWrongTriesBefore(db: Db, cutoff: Date, limit: number): Promise<number> {
  return (await query(db,
    `delete from phone_wrong_tries where id in (select id from phone_wrong_tries where payment_id is null and at < ? order by at limit ?) returning 1`, [cutoff, limit])).length;
}
