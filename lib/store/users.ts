import { query, queryOne, type Db } from '../postgres/db.js';
import type { MerchantId, UserId } from '../domain/ids.js';
import type { Role, OfficeUser } from '../domain/office.js';
import type { Audience, User } from '../domain/user.js';

export const COLUMNS = `u.id, u.audience, u.merchant_id as "merchantId", u.email, u.phone, u.role, u.password_hash as "passwordHash", u.totp_secret as "sealedTotpSecret",
  u.setup_expires_at as "setupExpiresAt", u.created_at as "createdAt", u.disabled_at as "disabledAt", u.email_elsewhere as "emailElsewhere",
  case u.audience when 'office' then m.require_totp when 'console' then u.role in ('admin', 'finance') else false end as "requireTotp"`;
const FROM = `users u left join merchants m on m.id = u.merchant_id`;

/**
 * Nothing comes back when the e-mail is taken by a user who signs in (one e-mail signs in to one
 * merchant), or is in this merchant already. With `elsewhere` the row is one that never signs in.
 */
export async function insertUser(db: Db, u: { id: UserId; merchantId: MerchantId; email: string; role: Role; setupTokenHash: string | null; setupExpiresAt: Date; createdAt: Date; createdBy: string | null; elsewhere?: boolean }): Promise<boolean> {
  const rows = await query(db,
    `insert into users (id, audience, merchant_id, email, role, setup_token_hash, setup_expires_at, created_at, created_by, email_elsewhere)
     values (?, 'office', ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing returning id`,
    [u.id, u.merchantId, u.email, u.role, u.setupTokenHash, u.setupExpiresAt, u.createdAt, u.createdBy, u.elsewhere ?? false]);
  return rows.length === 1;
}

/** Whether a user of this merchant has the e-mail (signing in or not). */
export async function emailInMerchant(db: Db, merchantId: MerchantId, email: string): Promise<boolean> {
  return (await query(db, `select 1 from users where merchant_id = ? and email = ?`, [merchantId, email])).length > 0;
}

export async function findUser(db: Db, id: string): Promise<User | undefined> {
  return queryOne(db, `select ${COLUMNS} from ${FROM} where u.id = ?`, [id]);
}

/** The user of the audience who signs in with this e-mail: never a disabled one. */
export async function findUserByEmail(db: Db, audience: Audience, email: string): Promise<User | undefined> {
  return queryOne(db, `select ${COLUMNS} from ${FROM} where u.audience = ? and u.email = ? and not u.email_elsewhere and u.disabled_at is null`, [audience, email]);
}

/** The user of a set-up link that has not run out. */
export async function findUserBySetupToken(db: Db, tokenHash: string, now: Date): Promise<User | undefined> {
  return queryOne(db, `select ${COLUMNS} from ${FROM} where u.setup_token_hash = ? and u.setup_expires_at > ? and u.disabled_at is null`, [tokenHash, now]);
}

/** Sets the password (and authenticator) and spends the link; nothing happens if the link was spent meanwhile. */
export async function completeSetup(db: Db, id: UserId, tokenHash: string, passwordHash: string, totp: { sealed: string; step: number } | null): Promise<boolean> {
  const rows = await query(db,
    `update users set password_hash = ?, totp_secret = coalesce(?, totp_secret), totp_last_step = coalesce(?, totp_last_step),
       setup_token_hash = null, setup_expires_at = null
     where id = ? and setup_token_hash = ? and disabled_at is null returning id`,
    [passwordHash, totp?.sealed ?? null, totp?.step ?? null, id, tokenHash]);
  return rows.length === 1;
}

/** A TOTP step signs in once (docs/merchant-guide.md#back-office): false when this step, or a later one, was accepted already. */
export async function spendTotpStep(db: Db, id: UserId, step: number): Promise<boolean> {
  const rows = await query(db, `update users set totp_last_step = ? where id = ? and (totp_last_step is null or totp_last_step < ?) returning id`, [step, id, step]);
  return rows.length === 1;
}

/** A new authenticator, confirmed by a code of `step` (spent with it, as a sign-in would). */
export async function setTotpSecret(db: Db, id: UserId, sealed: string, step: number): Promise<boolean> {
  const rows = await query(db, `update users set totp_secret = ?, totp_last_step = ? where id = ? and (totp_last_step is null or totp_last_step < ?) returning id`,
    [sealed, step, id, step]);
  return rows.length === 1;
}

export async function listUsers(db: Db, merchantId: MerchantId): Promise<OfficeUser[]> {
  return query(db, `select ${COLUMNS} from ${FROM} where u.merchant_id = ? order by u.created_at, u.id`, [merchantId]);
}

export async function setRequireTotp(db: Db, merchantId: MerchantId, required: boolean): Promise<void> {
  await query(db, `update merchants set require_totp = ? where id = ?`, [required, merchantId]);
}

/** The demo owner with a new password (the demo seed only). */
export async function resetDemoOwner(db: Db, u: { id: string; merchantId: string; email: string; passwordHash: string; at: Date }): Promise<void> {
  await query(db,
    `insert into users (id, audience, merchant_id, email, role, password_hash, created_at, created_by) values (?, 'office', ?, ?, 'owner', ?, ?, 'demo')
     on conflict (id) do update set password_hash = excluded.password_hash, merchant_id = excluded.merchant_id`,
    [u.id, u.merchantId, u.email, u.passwordHash, u.at]);
}

export async function listSealedTotpSecrets(db: Db): Promise<{ id: UserId; sealed: string }[]> {
  return query(db, `select id, totp_secret as sealed from users where totp_secret is not null order by id`);
}

/** Only if nobody changed it since it was read (a new enrolment wins over a re-seal). */
export async function replaceTotpSecret(db: Db, id: UserId, sealed: string, was: string): Promise<boolean> {
  return (await query(db, `update users set totp_secret = ? where id = ? and totp_secret = ? returning id`, [sealed, id, was])).length === 1;
}

/** Every user of the merchant, locked in id order: user changes of one merchant run one at a time (the last owner stays). */
export async function lockMerchantUsers(db: Db, merchantId: MerchantId): Promise<OfficeUser[]> {
  await query(db, `select id from users where merchant_id = ? order by id for update`, [merchantId]);
  return listUsers(db, merchantId);
}

export async function setRole(db: Db, id: UserId, role: string): Promise<void> {
  await query(db, `update users set role = ? where id = ?`, [role, id]);
}

export async function setDisabled(db: Db, id: UserId, at: Date | null): Promise<void> {
  await query(db, `update users set disabled_at = ? where id = ?`, [at, id]);
}

/** A password reset: the password is gone, and only the new link (its hash; none for a row that never signs in) sets one. */
export async function resetSetup(db: Db, id: UserId, setupTokenHash: string | null, setupExpiresAt: Date): Promise<void> {
  await query(db, `update users set password_hash = null, setup_token_hash = ?, setup_expires_at = ? where id = ?`, [setupTokenHash, setupExpiresAt, id]);
}

export async function clearTotp(db: Db, id: UserId): Promise<void> {
  await query(db, `update users set totp_secret = null where id = ?`, [id]);
}

export async function setPassword(db: Db, id: UserId, passwordHash: string): Promise<void> {
  await query(db, `update users set password_hash = ? where id = ?`, [passwordHash, id]);
}

/** An operator user (docs/operator-guide.md#operator-console); nothing comes back when the e-mail is taken by another operator. */
export async function insertOperator(db: Db, u: { id: UserId; email: string; role: string; setupTokenHash: string; setupExpiresAt: Date; createdAt: Date; createdBy: string }): Promise<boolean> {
  const rows = await query(db,
    `insert into users (id, audience, email, role, setup_token_hash, setup_expires_at, created_at, created_by)
     values (?, 'console', ?, ?, ?, ?, ?, ?) on conflict do nothing returning id`,
    [u.id, u.email, u.role, u.setupTokenHash, u.setupExpiresAt, u.createdAt, u.createdBy]);
  return rows.length === 1;
}

export async function listOperators(db: Db): Promise<User[]> {
  return query(db, `select ${COLUMNS} from ${FROM} where u.audience = 'console' order by u.created_at, u.id`);
}

/** The operator user, locked: changes of one operator run one at a time. */
export async function lockOperator(db: Db, id: UserId): Promise<User | undefined> {
  return queryOne(db, `select ${COLUMNS} from ${FROM} where u.id = ? and u.audience = 'console' for update of u`, [id]);
}

/** Every operator user, locked in id order: operator changes run one at a time, so two admins cannot demote each other into none. */
export async function lockOperators(db: Db): Promise<User[]> {
  await query(db, `select id from users where audience = 'console' order by id for update`);
  return listOperators(db);
}

/** Per operator user that has a password: its passkeys and its last sign-in (the audit log's newest `sign_in` of it). */
export async function operatorSignInFacts(db: Db): Promise<{ id: UserId; passkeys: number; lastSignInAt: Date | null }[]> {
  return query(db,
    `select u.id, (select count(*) from passkeys p where p.user_id = u.id)::int as passkeys,
       (select a.at from audit_log a where a.audience = 'console' and a.action = 'sign_in' and a.user_id = u.id order by a.id desc limit 1) as "lastSignInAt"
     from users u where u.audience = 'console' and u.password_hash is not null`);
}

/** Merchants' users across merchants, by id (the operator's list), optionally of one merchant or one e-mail. */
export async function listOfficeUsersOfAll(db: Db, f: { merchantId?: MerchantId; email?: string; afterId?: string; limit: number }): Promise<OfficeUser[]> {
  return query(db,
    `select ${COLUMNS} from ${FROM} where u.audience = 'office' and not u.email_elsewhere
       and (?::text is null or u.merchant_id = ?) and (?::text is null or u.email = ?) and u.id > coalesce(?, '') order by u.id limit ?`,
    [f.merchantId ?? null, f.merchantId ?? null, f.email ?? null, f.email ?? null, f.afterId ?? null, f.limit]);
}

/** The buyer of a phone (audience me), if it ever signed in. */
export async function findBuyerByPhone(db: Db, phone: string): Promise<User | undefined> {
  return queryOne(db, `select ${COLUMNS} from ${FROM} where u.audience = 'me' and u.phone = ?`, [phone]);
}

/** A phone's first sign-in makes its buyer; two at once make one (the second finds the first's). */
export async function insertBuyer(db: Db, b: { id: UserId; phone: string; createdAt: Date }): Promise<User> {
  await query(db, `insert into users (id, audience, phone, role, created_at) values (?, 'me', ?, 'buyer', ?) on conflict do nothing`, [b.id, b.phone, b.createdAt]);
  return (await findBuyerByPhone(db, b.phone))!;
}
