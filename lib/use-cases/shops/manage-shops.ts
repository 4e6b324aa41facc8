import type { Deps, PayDeps } from '../shared/deps.js';
import { inTransaction, isUniqueViolation } from '../../postgres/db.js';
import type { ActionNote } from '../shared/action-note.js';
import { assertMerchantActs } from '../merchants/merchant-acts.js';
import * as shops from '../../store/shops.js';
import { findMerchant } from '../../store/merchants.js';
import { listShopWallets } from '../../store/wallets.js';
import { AppError, invalidRequest } from '../../domain/errors.js';
import { newId, type MerchantId, type ShopId } from '../../domain/ids.js';
import { checkCallbackUrl } from '../../domain/merchant-urls.js';
import { newSecretKey, newWebhookSecret } from '../../domain/secrets.js';
import type { Currency } from '../../domain/currency.js';
import type { AdminUpdateShopBody, CreateShopBody, UpdateShopBody } from '../../schemas/admin.js';
import { placeOf, sealIn, WEBHOOK_SECRET_OVERLAP_MS } from '../../notify/keyring.js';
import { insertWithFreshPurse } from '../buyers/create-wallet.js';
import { sendAlertConfirmations, syncAlertRecipients } from './send-alert-confirmations.js';
import { phoneCountry } from '../../domain/phone.js';
import type { AlertSettings } from '../../domain/alerts.js';
import type { Merchant } from '../../domain/merchant.js';
import type { Shop } from '../../domain/shop.js';
import type { Wallet } from '../../domain/wallet.js';
import { DEFAULT_FEE_REFUND } from '../../domain/fee.js';
import { brandChangeOf } from './brand-change.js';

/** What saving alerts needs: the confirmation messages go out by SMS and mail after the commit (docs/merchant-guide.md#alerts). */
type AlertDeps = Pick<PayDeps, 'db' | 'clock' | 'config' | 'log' | 'observer' | 'sms' | 'mailer'>;

export type ShopView = { shop: Shop; purses: Wallet[] };

/** A shop of the caller's (the operator passes no merchant); another merchant's is as unknown as a missing one. */
export async function readShop(deps: Pick<Deps, 'db'>, id: ShopId, merchantId?: MerchantId): Promise<ShopView> {
  const shop = await shops.findShop(deps.db, id);
  if (!shop || (merchantId !== undefined && shop.merchantId !== merchantId)) throw new AppError('shop_not_found', `No shop ${id.slice(0, 40)}`);
  return { shop, purses: await listShopWallets(deps.db, shop.id) };
}

export async function listShops(deps: Pick<Deps, 'db'>, merchantId: MerchantId): Promise<ShopView[]> {
  const rows = await shops.listShopsOf(deps.db, merchantId);
  return Promise.all(rows.map(async (shop) => ({ shop, purses: await listShopWallets(deps.db, shop.id) })));
}

/** The service calls the Result and webhook URLs: no private or local address (unless allowed), and every URL on the shop's hosts. */
function checkUrls(deps: Pick<Deps, 'config'>, s: { resultUrl?: string | null; webhookUrl?: string | null }) {
  for (const [field, url] of [['result_url', s.resultUrl], ['webhook_url', s.webhookUrl]] as const) {
    const check = url ? checkCallbackUrl(url, null, deps.config.allowPrivateCallbacks) : undefined;
    if (check && !check.ok) throw invalidRequest(`${field} ${check.reason}`, [{ field, message: check.reason }]);
  }
}

/** SMS_COUNTRIES (docs/merchant-guide.md#abuse-limits): a phone added to alerts must be in a country SMS go to (one kept from before is left alone). */
function refuseAlertCountries(deps: Pick<Deps, 'config'>, before: AlertSettings | undefined, after: AlertSettings | undefined) {
  const countries = deps.config.limits.smsCountries;
  if (!countries || !after) return;
  after.phones.forEach((phone, i) => {
    const country = phoneCountry(phone);
    if (before?.phones.includes(phone) || (country && countries.includes(country))) return;
    throw new AppError('country_not_allowed', `This service does not send SMS to ${country ?? 'this country'}`, { errors: [{ field: `alerts.phones.${i}`, message: 'country not allowed' }] });
  });
}

function settingsOf(b: Omit<UpdateShopBody, 'name'>): shops.ShopChange {
  return {
    resultUrl: b.result_url, successUrl: b.success_url, failUrl: b.fail_url, webhookUrl: b.webhook_url,
    allowedHosts: b.allowed_hosts?.map((h) => h.toLowerCase()), hashMethod: b.hash_method, prerequest: b.prerequest,
    requireSignedForms: b.require_signed_forms, allowFormUrls: b.allow_form_urls, successMethod: b.success_method,
    failMethod: b.fail_method, captureMode: b.capture, status: b.status, methods: b.methods, lang: b.lang,
    alerts: b.alerts, receiptChannel: b.receipt?.channel,
  };
}

/** docs/buyer-guide.md#receipts: receipts by WhatsApp only where the operator set the channel up (MESSENGER=whatsapp). */
function refuseUnconfiguredChannel(deps: Pick<Deps, 'config'>, change: shops.ShopChange) {
  if (change.receiptChannel !== 'whatsapp' || deps.config.messenger === 'whatsapp') return;
  throw new AppError('method_not_enabled', 'receipt.channel "whatsapp" needs the WhatsApp channel, which this service has not set up (MESSENGER=whatsapp)', { method: 'whatsapp', errors: [{ field: 'receipt.channel', message: 'WhatsApp is not set up on this service' }] });
}

/** A new shop with its payee purse; its secret key and webhook secret leave here once, sealed in the database. */
export type CreatedShop = ShopView & { secretKey: string; webhookSecret: string };

/** `by`: the merchant (its API key) or the operator, who alone acts for a suspended merchant. */
export async function createShop(
  deps: AlertDeps, merchantId: MerchantId, body: CreateShopBody, note?: ActionNote<CreatedShop>, by: 'merchant' | 'operator' = 'merchant',
): Promise<CreatedShop> {
  const merchant = await findMerchant(deps.db, merchantId);
  if (!merchant) throw new AppError('merchant_not_found', `No merchant ${merchantId.slice(0, 40)}`);
  const settings = settingsOf(body);
  checkUrls(deps, settings);
  refuseUnconfiguredChannel(deps, settings);
  refuseAlertCountries(deps, undefined, settings.alerts);
  const brand = brandChangeOf(body.brand);
  const secretKey = newSecretKey();
  const webhookSecret = newWebhookSecret();
  const at = deps.clock.now();
  const id = newId('shp');
  const made = await inTransaction(deps.db, async (trx) => {
    if (by === 'merchant') await assertMerchantActs(trx, merchantId);
    const inserted = await shops.insertShop(trx, {
      id, merchantId, name: body.name, sealedSecretKey: sealIn(deps.config, secretKey, placeOf.secretKey(id)), sealedWebhookSecret: sealIn(deps.config, webhookSecret, placeOf.webhookSecret(id)),
      hashMethod: settings.hashMethod ?? 'sha256', resultUrl: settings.resultUrl ?? null, successUrl: settings.successUrl ?? null,
      failUrl: settings.failUrl ?? null, webhookUrl: settings.webhookUrl ?? null, allowedHosts: settings.allowedHosts ?? [],
      successMethod: settings.successMethod ?? 'GET', failMethod: settings.failMethod ?? 'GET', prerequest: settings.prerequest ?? false,
      requireSignedForms: settings.requireSignedForms ?? false, allowFormUrls: settings.allowFormUrls ?? false,
      captureMode: settings.captureMode ?? 'automatic', status: settings.status, methods: settings.methods, lang: settings.lang, alerts: settings.alerts,
      receiptChannel: settings.receiptChannel, createdAt: at,
    });
    await shops.updateShopBrand(trx, inserted.id, brand);
    const shop = (await shops.findShop(trx, inserted.id))!;
    const purses = await payeePurses(trx, merchant, shop.id, body.currency, at);
    const confirmations = await syncAlertRecipients(trx, shop.id, shop.alerts, at);
    const created = { shop, purses, secretKey, webhookSecret };
    await note?.(trx, created);
    return { created, confirmations };
  });
  await sendAlertConfirmations(deps, made.created.shop, made.confirmations);
  return made.created;
}

/** A live merchant's shop gets a live and a test purse per currency; a test merchant's, a test purse only (docs/merchant-guide.md#test-mode). */
async function payeePurses(trx: Parameters<typeof insertWithFreshPurse>[0], merchant: Merchant, shopId: ShopId, currency: Currency, at: Date): Promise<Wallet[]> {
  const made: Wallet[] = [];
  for (const mode of merchant.mode === 'live' ? (['live', 'test'] as const) : (['test'] as const)) {
    made.push(await insertWithFreshPurse(trx, { holderId: merchant.holderId, currency, kind: 'merchant', mode, phone: null, merchantId: merchant.id, shopId, createdAt: at }));
  }
  return made;
}

export async function updateShop(
  deps: AlertDeps, id: ShopId, merchantId: MerchantId | undefined, body: UpdateShopBody | AdminUpdateShopBody, note?: ActionNote<ShopId>, logoBytes?: Buffer,
): Promise<ShopView> {
  const before = await readShop(deps, id, merchantId);
  const change = { ...settingsOf(body), name: body.name, ...('fee' in body && body.fee !== undefined ? feeChange(body.fee) : {}) };
  checkUrls(deps, change);
  refuseUnconfiguredChannel(deps, change);
  refuseAlertCountries(deps, before.shop.alerts, change.alerts);
  const brand = brandChangeOf(body.brand, logoBytes);
  const confirmations = await inTransaction(deps.db, async (trx) => {
    if (merchantId) await assertMerchantActs(trx, merchantId);
    await shops.updateShop(trx, id, change);
    await shops.updateShopBrand(trx, id, brand);
    const handedOut = change.alerts ? await syncAlertRecipients(trx, id, change.alerts, deps.clock.now()) : [];
    await note?.(trx, id);
    return handedOut;
  });
  const after = await readShop(deps, id);
  await sendAlertConfirmations(deps, after.shop, confirmations);
  return after;
}

/** Another payee purse for the shop, in another currency (one per currency: a second is 409). */
export async function addShopWallet(
  deps: Pick<Deps, 'db' | 'clock'>, id: ShopId, merchantId: MerchantId | undefined, currency: Currency, note?: ActionNote<ShopView>,
): Promise<ShopView> {
  const { shop } = await readShop(deps, id, merchantId);
  const merchant = (await findMerchant(deps.db, shop.merchantId))!;
  try {
    return await inTransaction(deps.db, async (trx) => {
      if (merchantId) await assertMerchantActs(trx, merchantId);
      await payeePurses(trx, merchant, shop.id, currency, deps.clock.now());
      const view = await readShop({ db: trx }, id);
      await note?.(trx, view);
      return view;
    });
  } catch (err) {
    if (isUniqueViolation(err, 'wallets_one_per_shop_currency_mode')) throw new AppError('wallet_exists', `The shop already has a ${currency} purse`, { errors: [{ field: 'currency', message: 'already has a purse' }] });
    throw err;
  }
}

/** A new secret key or webhook secret, shown in this answer only; a new webhook secret signs beside the old one for 24 h. */
export async function rotateShopSecret(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>, id: ShopId, merchantId: MerchantId | undefined, which: 'secret_key' | 'webhook_secret',
  note?: ActionNote<RotatedSecret>,
): Promise<RotatedSecret> {
  await readShop(deps, id, merchantId);
  const secret = which === 'secret_key' ? newSecretKey() : newWebhookSecret();
  const now = deps.clock.now();
  return inTransaction(deps.db, async (trx) => {
    if (merchantId) await assertMerchantActs(trx, merchantId);
    if (which === 'secret_key') await shops.replaceSecretKey(trx, id, sealIn(deps.config, secret, placeOf.secretKey(id)));
    else await shops.rotateWebhookSecret(trx, id, sealIn(deps.config, secret, placeOf.webhookSecret(id)), now, new Date(now.getTime() + WEBHOOK_SECRET_OVERLAP_MS));
    const rotated = { view: await readShop({ db: trx }, id), secret };
    await note?.(trx, rotated);
    return rotated;
  });
}

export type RotatedSecret = { view: ShopView; secret: string };

/** The operator sets a shop's fee (docs/merchant-guide.md#fees); null goes back to the operator's default. */
function feeChange(fee: AdminUpdateShopBody['fee']): shops.ShopChange {
  if (fee === null || fee === undefined) return { feePercentBp: null, feeFixed: null, feeRefund: null };
  return { feePercentBp: fee.percent, feeFixed: fee.fixed ?? 0n, feeRefund: fee.refund ?? DEFAULT_FEE_REFUND };
}
