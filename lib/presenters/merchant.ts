import { formatAmount } from '../domain/money.js';
import type { Merchant } from '../domain/merchant.js';
import type { Shop } from '../domain/shop.js';

/**
 * The merchant as operators see it; with a shop, that shop's settings too (the operator's answer to
 * POST /merchants keeps its fields, docs/merchant-guide.md#shops-methods-and-keys). Secrets are added only to the answer that creates them.
 */
export function merchantJson(m: Merchant, purses: string[], shop?: Shop) {
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
