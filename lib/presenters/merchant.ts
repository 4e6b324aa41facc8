import { formatAmount } from '../domain/money.js';
import type { MerchantRow } from '../store/merchants.js';
import type { ShopRow } from '../store/shops.js';

/**
 * The merchant as operators see it; with a shop, that shop's settings too (the answer of §7's
 * POST /merchants keeps its fields, spec §9). Secrets are added only to the answer that creates them.
 */
export function merchantJson(m: MerchantRow, purses: string[], shop?: ShopRow) {
  return {
    id: m.id,
    name: m.name,
    mode: m.mode,
    status: m.status,
    holder_id: m.holderId,
    purse: purses[0] ?? null,
    purses,
    payout_schedule: m.payoutSchedule,
    payout_minimum: formatAmount(m.payoutMinimum),
    payout_delay_days: m.payoutDelayDays,
    payout_account: m.payoutAccount,
    ...(shop && {
      shop_id: shop.id,
      hash_method: shop.hashMethod,
      result_url: shop.resultUrl,
      success_url: shop.successUrl,
      fail_url: shop.failUrl,
      webhook_url: shop.webhookUrl,
      allowed_hosts: shop.allowedHosts,
      success_method: shop.successMethod,
      fail_method: shop.failMethod,
      prerequest: shop.prerequest,
      require_signed_forms: shop.requireSignedForms,
      allow_form_urls: shop.allowFormUrls,
      capture: shop.captureMode,
    }),
    created_at: m.createdAt.toISOString(),
  };
}
