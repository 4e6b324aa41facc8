import type { Deps } from '../shared/deps.js';
import { inTransaction } from '../../postgres/db.js';
import * as merchants from '../../store/merchants.js';
import * as shops from '../../store/shops.js';
import * as apiKeys from '../../store/api-keys.js';
import { insertWithFreshPurse } from '../buyers/create-wallet.js';
import { newId, type MerchantId, type ShopId } from '../../domain/ids.js';
import { invalidRequest } from '../../domain/errors.js';
import { checkCallbackUrl } from '../../domain/merchant-urls.js';
import { newHolderId } from '../../domain/wallet.js';
import { placeOf, sealIn } from '../../notify/keyring.js';
import { apiKeyPrefix, newApiKey, newSecretKey, newWebhookSecret, sha256Hex } from '../../domain/secrets.js';
import type { Currency } from '../../domain/currency.js';
import type { Mode } from '../../domain/ledger.js';
import type { HashMethod, RedirectMethod } from '../../domain/lmi.js';
import type { Merchant } from '../../domain/merchant.js';
import type { Shop } from '../../domain/shop.js';

export type CreateMerchantInput = {
  /** Only the seeded demo shop has a fixed id; others get a random one. */
  id?: MerchantId;
  name: string;
  currency: Currency;
  mode: Mode;
  resultUrl?: string;
  successUrl?: string;
  failUrl?: string;
  webhookUrl?: string;
  allowedHosts: string[];
  hashMethod: HashMethod;
  prerequest: boolean;
  requireSignedForms: boolean;
  allowFormUrls: boolean;
  successMethod: RedirectMethod;
  failMethod: RedirectMethod;
  captureMode: 'automatic' | 'manual';
};

export type CreatedMerchant = { merchant: Merchant; shop: Shop; purse: string; apiKey: string; secretKey: string; webhookSecret: string };

/** A merchant with its payee wallet and first API key. The API key leaves here once; only its hash is kept. */
export async function createMerchant(deps: Pick<Deps, 'db' | 'clock' | 'config'>, input: CreateMerchantInput): Promise<CreatedMerchant> {
  // the service itself calls these two: no private or local addresses (unless allowed for tests and on-premise set-ups)
  for (const [field, url] of [['result_url', input.resultUrl], ['webhook_url', input.webhookUrl]] as const) {
    const check = url === undefined ? undefined : checkCallbackUrl(url, null, deps.config.allowPrivateCallbacks);
    if (check && !check.ok) throw invalidRequest(`${field} ${check.reason}`, [{ field, message: check.reason }]);
  }
  const at = deps.clock.now();
  const apiKey = newApiKey(input.mode);
  // shown once, in the answer that creates them; kept only sealed with DATA_KEY
  const secretKey = newSecretKey();
  const webhookSecret = newWebhookSecret();
  return inTransaction(deps.db, async (trx) => {
    const merchant = (await merchants.insertMerchant(trx, {
      id: input.id ?? newId('mch'), name: input.name, mode: input.mode, holderId: newHolderId(), createdAt: at,
    }))!;
    // docs/merchant-guide.md#shops-methods-and-keys: a merchant created as in docs/operator-guide.md#operator-api-and-cli gets one shop with those settings
    const shopId = shopIdFor(merchant.id);
    const shop = await shops.insertShop(trx, {
      id: shopId,
      merchantId: merchant.id,
      name: input.name,
      sealedSecretKey: sealIn(deps.config, secretKey, placeOf.secretKey(shopId)),
      sealedWebhookSecret: sealIn(deps.config, webhookSecret, placeOf.webhookSecret(shopId)),
      hashMethod: input.hashMethod,
      resultUrl: input.resultUrl ?? null,
      successUrl: input.successUrl ?? null,
      failUrl: input.failUrl ?? null,
      webhookUrl: input.webhookUrl ?? null,
      allowedHosts: input.allowedHosts.map((h) => h.toLowerCase()),
      successMethod: input.successMethod,
      failMethod: input.failMethod,
      prerequest: input.prerequest,
      requireSignedForms: input.requireSignedForms,
      allowFormUrls: input.allowFormUrls,
      captureMode: input.captureMode,
      createdAt: at,
    });
    const wallet = await insertWithFreshPurse(trx, {
      holderId: merchant.holderId,
      currency: input.currency,
      kind: 'merchant',
      mode: input.mode,
      phone: null,
      merchantId: merchant.id,
      shopId: shop.id,
      createdAt: at,
    });
    // docs/merchant-guide.md#test-mode: a live merchant's shop also has a test purse
    if (input.mode === 'live') await insertWithFreshPurse(trx, { holderId: merchant.holderId, currency: input.currency, kind: 'merchant', mode: 'test', phone: null, merchantId: merchant.id, shopId: shop.id, createdAt: at });
    await apiKeys.insertApiKey(trx, {
      id: newId('key'),
      merchantId: merchant.id,
      mode: input.mode,
      prefix: apiKeyPrefix(apiKey),
      keyHash: sha256Hex(apiKey),
      createdAt: at,
    });
    return { merchant, shop, purse: wallet.purse, apiKey, secretKey, webhookSecret };
  });
}

/** The first shop of a merchant keeps the merchant's suffix (as the migration named existing ones). */
function shopIdFor(merchantId: MerchantId): ShopId {
  return `shp_${merchantId.slice(4)}`;
}
