import { query, queryOne, type Db } from './db.js';
import type { Mode } from '../domain/ledger.js';
import type { HashMethod } from '../domain/lmi.js';
import type { MerchantId } from '../domain/ids.js';

export type { HashMethod };

export type RedirectMethod = 'GET' | 'POST' | 'LINK';

export type MerchantRow = {
  id: MerchantId;
  name: string;
  mode: Mode;
  holderId: string;
  /** Sealed with DATA_KEY (domain/sealed-secrets.ts): opened only where a signature is made or checked. */
  sealedSecretKey: string;
  sealedWebhookSecret: string;
  hashMethod: HashMethod;
  resultUrl: string | null;
  successUrl: string | null;
  failUrl: string | null;
  webhookUrl: string | null;
  allowedHosts: string[];
  successMethod: RedirectMethod;
  failMethod: RedirectMethod;
  prerequest: boolean;
  requireSignedForms: boolean;
  /** Honour LMI_RESULT_URL / LMI_SUCCESS_URL / LMI_FAIL_URL of posted forms (spec §9). */
  allowFormUrls: boolean;
  captureMode: 'automatic' | 'manual';
  status: MerchantStatus;
  createdAt: Date;
};

export type MerchantStatus = 'active' | 'suspended';

const COLUMNS = `id, name, mode, holder_id as "holderId", secret_key as "sealedSecretKey", webhook_secret as "sealedWebhookSecret",
  hash_method as "hashMethod", result_url as "resultUrl", success_url as "successUrl", fail_url as "failUrl",
  webhook_url as "webhookUrl", allowed_hosts as "allowedHosts", success_method as "successMethod",
  fail_method as "failMethod", prerequest, require_signed_forms as "requireSignedForms", allow_form_urls as "allowFormUrls",
  capture_mode as "captureMode", status, created_at as "createdAt"`;

export async function insertMerchant(db: Db, m: Omit<MerchantRow, 'status'>): Promise<MerchantRow | undefined> {
  return queryOne<MerchantRow>(db,
    `insert into merchants (id, name, mode, holder_id, secret_key, webhook_secret, hash_method, result_url, success_url,
       fail_url, webhook_url, allowed_hosts, success_method, fail_method, prerequest, require_signed_forms, allow_form_urls, capture_mode, created_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::text[], ?, ?, ?, ?, ?, ?, ?) returning ${COLUMNS}`,
    [m.id, m.name, m.mode, m.holderId, m.sealedSecretKey, m.sealedWebhookSecret, m.hashMethod, m.resultUrl, m.successUrl, m.failUrl,
      m.webhookUrl, m.allowedHosts, m.successMethod, m.failMethod,
      m.prerequest, m.requireSignedForms, m.allowFormUrls, m.captureMode, m.createdAt],
  );
}

export async function findMerchant(db: Db, id: string): Promise<MerchantRow | undefined> {
  return queryOne(db, `select ${COLUMNS} from merchants where id = ?`, [id]);
}

export async function findMerchantByPurse(db: Db, purse: string): Promise<MerchantRow | undefined> {
  return queryOne(db,
    `select ${COLUMNS} from merchants where id = (select merchant_id from wallets where purse = ?)`,
    [purse],
  );
}

export async function listMerchantPursesOf(db: Db, merchantId: string): Promise<string[]> {
  const rows = await query<{ purse: string }>(db, `select purse from wallets where merchant_id = ? order by created_at, purse`, [merchantId]);
  return rows.map((r) => r.purse);
}

/** The merchant of an active API key (looked up by the key's SHA-256), with the key's mode. */
export async function findMerchantByApiKeyHash(db: Db, keyHash: string): Promise<(MerchantRow & { keyMode: Mode }) | undefined> {
  return queryOne<MerchantRow & { keyMode: Mode }>(
    db,
    `select ${COLUMNS}, (select k.mode from api_keys k where k.key_hash = ? and k.revoked_at is null) as "keyMode"
     from merchants where id = (select k.merchant_id from api_keys k where k.key_hash = ? and k.revoked_at is null)`,
    [keyHash, keyHash],
  );
}

/** The demo shop follows PUBLIC_URL (a restart on another port moves its pages). */
export async function updateMerchantUrls(db: Db, id: string, urls: { resultUrl: string; successUrl: string; failUrl: string }): Promise<void> {
  await query(db, `update merchants set result_url = ?, success_url = ?, fail_url = ? where id = ?`, [urls.resultUrl, urls.successUrl, urls.failUrl, id]);
}

/** The merchant row lock: serializes changes of its keys and settings. */
export async function lockMerchant(db: Db, id: MerchantId): Promise<MerchantRow | undefined> {
  return queryOne<MerchantRow>(db, `select ${COLUMNS} from merchants where id = ? for no key update`, [id]);
}

export async function listMerchants(db: Db, f: { afterId?: MerchantId; limit: number }): Promise<MerchantRow[]> {
  return query<MerchantRow>(db, `select ${COLUMNS} from merchants where id > coalesce(?, '') order by id limit ?`, [f.afterId ?? null, f.limit]);
}

export async function updateMerchant(db: Db, id: MerchantId, change: { name?: string; status?: MerchantStatus }): Promise<MerchantRow | undefined> {
  return queryOne<MerchantRow>(
    db,
    `update merchants set name = coalesce(?, name), status = coalesce(?, status) where id = ? returning ${COLUMNS}`,
    [change.name ?? null, change.status ?? null, id],
  );
}

/** Every merchant's sealed secrets, for re-sealing them with the current DATA_KEY. */
export async function listSealedSecrets(db: Db): Promise<{ id: MerchantId; sealedSecretKey: string; sealedWebhookSecret: string }[]> {
  return query(db, `select id, secret_key as "sealedSecretKey", webhook_secret as "sealedWebhookSecret" from merchants order by id`);
}

export async function replaceSealedSecrets(db: Db, id: MerchantId, sealed: { sealedSecretKey: string; sealedWebhookSecret: string }, was: { sealedSecretKey: string; sealedWebhookSecret: string }): Promise<boolean> {
  // only if nothing changed them meanwhile (a rotation by the merchant wins over a re-seal)
  const rows = await query(db, `update merchants set secret_key = ?, webhook_secret = ? where id = ? and secret_key = ? and webhook_secret = ? returning 1`,
    [sealed.sealedSecretKey, sealed.sealedWebhookSecret, id, was.sealedSecretKey, was.sealedWebhookSecret]);
  return rows.length === 1;
}
