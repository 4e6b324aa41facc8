import { query, queryOne, type Db } from './db.js';
import type { MerchantId, UserId } from '../domain/ids.js';
import type { Role } from '../domain/office.js';

export type OfficeUserRow = {
  id: UserId;
  merchantId: MerchantId;
  email: string;
  role: Role;
  passwordHash: string | null;
  /** Sealed with DATA_KEY. */
  sealedTotpSecret: string | null;
  setupExpiresAt: Date | null;
  createdAt: Date;
  /** The merchant's: every user must have an authenticator. */
  requireTotp: boolean;
};

const COLUMNS = `u.id, u.merchant_id as "merchantId", u.email, u.role, u.password_hash as "passwordHash", u.totp_secret as "sealedTotpSecret",
  u.setup_expires_at as "setupExpiresAt", u.created_at as "createdAt", m.require_totp as "requireTotp"`;
const FROM = `office_users u join merchants m on m.id = u.merchant_id`;

/** Nothing comes back when the e-mail is taken (by any merchant: one e-mail signs in to one merchant). */
export async function insertUser(db: Db, u: { id: UserId; merchantId: MerchantId; email: string; role: Role; setupTokenHash: string; setupExpiresAt: Date; createdAt: Date; createdBy: string | null }): Promise<boolean> {
  const rows = await query(db,
    `insert into office_users (id, merchant_id, email, role, setup_token_hash, setup_expires_at, created_at, created_by)
     values (?, ?, ?, ?, ?, ?, ?, ?) on conflict (email) do nothing returning id`,
    [u.id, u.merchantId, u.email, u.role, u.setupTokenHash, u.setupExpiresAt, u.createdAt, u.createdBy]);
  return rows.length === 1;
}

export async function findUser(db: Db, id: string): Promise<OfficeUserRow | undefined> {
  return queryOne(db, `select ${COLUMNS} from ${FROM} where u.id = ?`, [id]);
}

export async function findUserByEmail(db: Db, email: string): Promise<OfficeUserRow | undefined> {
  return queryOne(db, `select ${COLUMNS} from ${FROM} where u.email = ?`, [email]);
}

/** The user of a set-up link that has not run out. */
export async function findUserBySetupToken(db: Db, tokenHash: string, now: Date): Promise<OfficeUserRow | undefined> {
  return queryOne(db, `select ${COLUMNS} from ${FROM} where u.setup_token_hash = ? and u.setup_expires_at > ?`, [tokenHash, now]);
}

/** Sets the password (and authenticator) and spends the link; nothing happens if the link was spent meanwhile. */
export async function completeSetup(db: Db, id: UserId, tokenHash: string, passwordHash: string, sealedTotpSecret: string | null): Promise<boolean> {
  const rows = await query(db,
    `update office_users set password_hash = ?, totp_secret = coalesce(?, totp_secret), setup_token_hash = null, setup_expires_at = null
     where id = ? and setup_token_hash = ? returning id`,
    [passwordHash, sealedTotpSecret, id, tokenHash]);
  return rows.length === 1;
}

export async function setTotpSecret(db: Db, id: UserId, sealed: string | null): Promise<void> {
  await query(db, `update office_users set totp_secret = ? where id = ?`, [sealed, id]);
}

export async function listUsers(db: Db, merchantId: MerchantId): Promise<OfficeUserRow[]> {
  return query(db, `select ${COLUMNS} from ${FROM} where u.merchant_id = ? order by u.created_at, u.id`, [merchantId]);
}

export async function setRequireTotp(db: Db, merchantId: MerchantId, required: boolean): Promise<void> {
  await query(db, `update merchants set require_totp = ? where id = ?`, [required, merchantId]);
}

/** The demo owner with a new password (the demo seed only). */
export async function resetDemoOwner(db: Db, u: { id: string; merchantId: string; email: string; passwordHash: string; at: Date }): Promise<void> {
  await query(db,
    `insert into office_users (id, merchant_id, email, role, password_hash, created_at, created_by) values (?, ?, ?, 'owner', ?, ?, 'demo')
     on conflict (id) do update set password_hash = excluded.password_hash`,
    [u.id, u.merchantId, u.email, u.passwordHash, u.at]);
}

export async function listSealedTotpSecrets(db: Db): Promise<{ id: UserId; sealed: string }[]> {
  return query(db, `select id, totp_secret as sealed from office_users where totp_secret is not null order by id`);
}

/** Only if nobody changed it since it was read (a new enrolment wins over a re-seal). */
export async function replaceTotpSecret(db: Db, id: UserId, sealed: string, was: string): Promise<boolean> {
  return (await query(db, `update office_users set totp_secret = ? where id = ? and totp_secret = ? returning id`, [sealed, id, was])).length === 1;
}
