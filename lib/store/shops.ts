import { NO_ALERTS } from '../domain/alerts.js';
import { query, queryOne, type Db, type SqlParam } from '../postgres/db.js';
import type { MerchantId, ShopId } from '../domain/ids.js';
import type { Shop, RetiredWebhookSecret } from '../domain/shop.js';
import type { LogoType } from '../domain/brand.js';

export type NewShop = Omit<Shop, 'mode' | 'merchantStatus' | 'status' | 'methods' | 'lang' | 'retiredWebhookSecrets' | 'webhookSecretRotatedAt' | 'feePercentBp' | 'feeFixed' | 'feeRefund' | 'alerts' | 'confirmedRecipients' | 'receiptChannel' | 'brand'> & Partial<Pick<Shop, 'status' | 'methods' | 'lang' | 'alerts' | 'receiptChannel'>>;

// docs/merchant-guide.md#brand: the logo's hash and type only; its bytes are read by findShopLogo
const BRAND = `jsonb_build_object('color', s.brand_color, 'supportEmail', s.brand_support_email, 'supportPhone', s.brand_support_phone,
  'termsUrl', s.brand_terms_url, 'logo', case when s.brand_logo_hash is null then null else jsonb_build_object('hash', s.brand_logo_hash, 'type', s.brand_logo_type) end)`;

export const COLUMNS = `s.id, s.merchant_id as "merchantId", s.name, s.status, s.methods, s.lang, s.secret_key as "sealedSecretKey",
  s.webhook_secret as "sealedWebhookSecret", s.retired_webhook_secrets as "retiredWebhookSecrets",
  s.webhook_secret_rotated_at as "webhookSecretRotatedAt", s.hash_method as "hashMethod", s.result_url as "resultUrl", s.success_url as "successUrl",
  s.fail_url as "failUrl", s.webhook_url as "webhookUrl", s.allowed_hosts as "allowedHosts", s.success_method as "successMethod",
  s.fail_method as "failMethod", s.prerequest, s.require_signed_forms as "requireSignedForms", s.allow_form_urls as "allowFormUrls",
  s.capture_mode as "captureMode", s.fee_percent_bp as "feePercentBp", s.fee_fixed as "feeFixed", s.fee_refund as "feeRefund",
  s.alerts, s.receipt_channel as "receiptChannel", ${BRAND} as brand, s.created_at as "createdAt", m.mode, m.status as "merchantStatus",
  array(select r.kind || ':' || r.address from alert_recipients r where r.shop_id = s.id and r.state = 'confirmed') as "confirmedRecipients"`;

export const FROM = `shops s join merchants m on m.id = s.merchant_id`;

export async function insertShop(db: Db, s: NewShop): Promise<Shop> {
  await query(db,
    `insert into shops (id, merchant_id, name, status, methods, lang, secret_key, webhook_secret, hash_method, result_url, success_url,
       fail_url, webhook_url, allowed_hosts, success_method, fail_method, prerequest, require_signed_forms, allow_form_urls, capture_mode, alerts, receipt_channel, created_at)
     values (?, ?, ?, ?, ?::text[], ?, ?, ?, ?, ?, ?, ?, ?, ?::text[], ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)`,
    [s.id, s.merchantId, s.name, s.status ?? 'active', s.methods ?? ['code', 'link', 'manual_capture'], s.lang ?? 'en', s.sealedSecretKey,
      s.sealedWebhookSecret, s.hashMethod, s.resultUrl, s.successUrl, s.failUrl, s.webhookUrl, s.allowedHosts, s.successMethod, s.failMethod,
      s.prerequest, s.requireSignedForms, s.allowFormUrls, s.captureMode, JSON.stringify(s.alerts ?? NO_ALERTS), s.receiptChannel ?? 'sms', s.createdAt],
  );
  return (await findShop(db, s.id))!;
}

export async function findShop(db: Db, id: ShopId): Promise<Shop | undefined> {
  return queryOne<Shop>(db, `select ${COLUMNS} from ${FROM} where s.id = ?`, [id]);
}

/** The shop whose payee purse this is (LMI_PAYEE_PURSE picks the shop). */
export async function findShopByPurse(db: Db, purse: string): Promise<Shop | undefined> {
  return queryOne<Shop>(db, `select ${COLUMNS} from ${FROM} where s.id = (select shop_id from wallets where purse = ?)`, [purse]);
}

export async function listShopsOf(db: Db, merchantId: MerchantId): Promise<Shop[]> {
  return query<Shop>(db, `select ${COLUMNS} from ${FROM} where s.merchant_id = ? order by s.created_at, s.id`, [merchantId]);
}

/** The demo shop follows PUBLIC_URL (a restart on another port moves its pages). */
export async function updateShopUrls(db: Db, id: ShopId, urls: { resultUrl: string; successUrl: string; failUrl: string }): Promise<void> {
  await query(db, `update shops set result_url = ?, success_url = ?, fail_url = ? where id = ?`, [urls.resultUrl, urls.successUrl, urls.failUrl, id]);
}

export type SealedSecrets = { sealedSecretKey: string; sealedWebhookSecret: string; retiredWebhookSecrets: RetiredWebhookSecret[] };

/** Every shop's sealed secrets, for re-sealing them with the current DATA_KEY. */
export async function listSealedSecrets(db: Db): Promise<({ id: ShopId } & SealedSecrets)[]> {
  return query(db, `select id, secret_key as "sealedSecretKey", webhook_secret as "sealedWebhookSecret",
    retired_webhook_secrets as "retiredWebhookSecrets" from shops order by id`);
}

export async function replaceSealedSecrets(db: Db, id: ShopId, sealed: SealedSecrets, was: SealedSecrets): Promise<boolean> {
  // only if nothing changed them meanwhile (a rotation by the merchant wins over a re-seal)
  const rows = await query(db,
    `update shops set secret_key = ?, webhook_secret = ?, retired_webhook_secrets = ?::jsonb
     where id = ? and secret_key = ? and webhook_secret = ? and retired_webhook_secrets = ?::jsonb returning 1`,
    [sealed.sealedSecretKey, sealed.sealedWebhookSecret, JSON.stringify(sealed.retiredWebhookSecrets), id, was.sealedSecretKey, was.sealedWebhookSecret, JSON.stringify(was.retiredWebhookSecrets)]);
  return rows.length === 1;
}

// the retired secrets whose 24 h have not ended at the bound time
const STILL_SIGNING = `coalesce((select jsonb_agg(e) from jsonb_array_elements(retired_webhook_secrets) e where (e->>'until')::timestamptz > ?), '[]'::jsonb)`;

/** Drops retired webhook secrets whose window has ended; idempotent, so any number of instances may run it. */
export async function clearRetiredWebhookSecrets(db: Db, now: Date): Promise<number> {
  const rows = await query(db,
    `update shops set retired_webhook_secrets = ${STILL_SIGNING}
     where exists (select 1 from jsonb_array_elements(retired_webhook_secrets) e where (e->>'until')::timestamptz <= ?) returning 1`, [now, now]);
  return rows.length;
}

// camelCase setting → column, for the settings an update may change
const SETTABLE = {
  name: 'name', status: 'status', methods: 'methods', lang: 'lang', hashMethod: 'hash_method', resultUrl: 'result_url',
  successUrl: 'success_url', failUrl: 'fail_url', webhookUrl: 'webhook_url', allowedHosts: 'allowed_hosts',
  successMethod: 'success_method', failMethod: 'fail_method', prerequest: 'prerequest', requireSignedForms: 'require_signed_forms',
  allowFormUrls: 'allow_form_urls', captureMode: 'capture_mode', feePercentBp: 'fee_percent_bp', feeFixed: 'fee_fixed', feeRefund: 'fee_refund',
  alerts: 'alerts', receiptChannel: 'receipt_channel',
} as const satisfies Partial<Record<keyof Shop, string>>;

export type ShopChange = Partial<Pick<Shop, keyof typeof SETTABLE>>;

export async function updateShop(db: Db, id: ShopId, change: ShopChange): Promise<Shop | undefined> {
  const entries = Object.entries(change).filter(([, v]) => v !== undefined) as [keyof typeof SETTABLE, unknown][];
  if (entries.length) {
    const cast = (k: keyof typeof SETTABLE) => (k === 'methods' || k === 'allowedHosts' ? '::text[]' : k === 'alerts' ? '::jsonb' : '');
    const sets = entries.map(([k]) => `${SETTABLE[k]} = ?${cast(k)}`).join(', ');
    await query(db, `update shops set ${sets} where id = ?`, [...entries.map(([k, v]) => (k === 'alerts' ? JSON.stringify(v) : v as string)), id]);
  }
  return findShop(db, id);
}

/** A new secret key, sealed; the old one stops at once (LMI_HASH has one key). */
export async function replaceSecretKey(db: Db, id: ShopId, sealed: string): Promise<void> {
  await query(db, `update shops set secret_key = ? where id = ?`, [sealed, id]);
}

/** A new webhook secret, sealed; the one it replaces keeps signing until `until`, beside the earlier ones still in their own window (docs/merchant-guide.md#shops-methods-and-keys). */
export async function rotateWebhookSecret(db: Db, id: ShopId, sealed: string, at: Date, until: Date): Promise<void> {
  await query(db,
    `update shops set retired_webhook_secrets = ${STILL_SIGNING} || jsonb_build_array(jsonb_build_object('sealed', webhook_secret, 'until', ?::text)),
       webhook_secret = ?, webhook_secret_rotated_at = ? where id = ?`, [at, until.toISOString(), sealed, at, id]);
}

/** A brand change: absent fields stay; `logo` null removes it. */
export type BrandChange = {
  color?: string | null; supportEmail?: string | null; supportPhone?: string | null; termsUrl?: string | null;
  logo?: { type: LogoType; hash: string; bytes: Buffer } | null;
};

export async function updateShopBrand(db: Db, id: ShopId, change: BrandChange): Promise<void> {
  const sets: string[] = [];
  const values: SqlParam[] = [];
  const put = (column: string, value: SqlParam) => { sets.push(`${column} = ?`); values.push(value); };
  if (change.color !== undefined) put('brand_color', change.color);
  if (change.supportEmail !== undefined) put('brand_support_email', change.supportEmail);
  if (change.supportPhone !== undefined) put('brand_support_phone', change.supportPhone);
  if (change.termsUrl !== undefined) put('brand_terms_url', change.termsUrl);
  if (change.logo !== undefined) {
    put('brand_logo', change.logo?.bytes ?? null);
    put('brand_logo_type', change.logo?.type ?? null);
    put('brand_logo_hash', change.logo?.hash ?? null);
  }
  if (sets.length) await query(db, `update shops set ${sets.join(', ')} where id = ?`, [...values, id]);
}

/** The logo's bytes, only while it is the shop's logo under this hash. */
export async function findShopLogo(db: Db, id: ShopId, hash: string): Promise<{ type: LogoType; bytes: Buffer } | undefined> {
  return queryOne(db, `select brand_logo_type as type, brand_logo as bytes from shops where id = ? and brand_logo_hash = ?`, [id, hash]);
}
