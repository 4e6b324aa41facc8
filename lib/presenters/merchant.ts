import type { MerchantRow } from '../store/merchants.js';

/** The merchant as operators see it; secrets are added only to the answer that creates it. */
export function merchantJson(m: MerchantRow, purses: string[]) {
  return {
    id: m.id,
    name: m.name,
    mode: m.mode,
    status: m.status,
    holder_id: m.holderId,
    purse: purses[0] ?? null,
    purses,
    hash_method: m.hashMethod,
    result_url: m.resultUrl,
    success_url: m.successUrl,
    fail_url: m.failUrl,
    webhook_url: m.webhookUrl,
    allowed_hosts: m.allowedHosts,
    success_method: m.successMethod,
    fail_method: m.failMethod,
    prerequest: m.prerequest,
    require_signed_forms: m.requireSignedForms,
    allow_form_urls: m.allowFormUrls,
    capture: m.captureMode,
    created_at: m.createdAt.toISOString(),
  };
}
