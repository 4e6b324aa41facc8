import { e164 } from '../domain/phone.js';
import { DEFAULT_FEE_REFUND, formatPercent } from '../domain/fee.js';
import { formatAmount } from '../domain/money.js';
import { recipientStates } from '../domain/alerts.js';
import type { Shop } from '../domain/shop.js';
import { buttonColor, logoPath } from '../domain/brand.js';
import type { Wallet } from '../domain/wallet.js';
import type { Mode } from '../domain/ledger.js';

/** A shop as its merchant and the operator see it; secrets are added only to the answer that creates or rotates them. */
export function shopJson(s: Shop, all: Wallet[], mode: Mode = s.mode) {
  // the purses of one mode: a test key's (docs/merchant-guide.md#test-mode), else the merchant's own
  const purses = all.filter((w) => w.mode === mode);
  return {
    id: s.id,
    object: 'shop' as const,
    merchant_id: s.merchantId,
    name: s.name,
    status: s.status,
    methods: s.methods,
    lang: s.lang,
    purse: purses[0]?.purse ?? null,
    purses: purses.map((w) => ({ purse: w.purse, currency: w.currency })),
    result_url: s.resultUrl,
    success_url: s.successUrl,
    fail_url: s.failUrl,
    webhook_url: s.webhookUrl,
    allowed_hosts: s.allowedHosts,
    hash_method: s.hashMethod,
    prerequest: s.prerequest,
    require_signed_forms: s.requireSignedForms,
    allow_form_urls: s.allowFormUrls,
    success_method: s.successMethod,
    fail_method: s.failMethod,
    capture: s.captureMode,
    // the shop's own fee (docs/merchant-guide.md#fees); null: the operator's default applies
    fee: s.feePercentBp === null ? null : { percent: formatPercent(s.feePercentBp), fixed: formatAmount(s.feeFixed ?? 0n), refund: s.feeRefund ?? DEFAULT_FEE_REFUND },
    // each recipient pending until it clicks its confirmation link (docs/merchant-guide.md#alerts); the numbers are the merchant's own
    alerts: {
      emails: s.alerts.emails, phones: s.alerts.phones.map(e164), events: s.alerts.events,
      recipients: recipientStates(s.alerts, s.confirmedRecipients).map((r) => ({ to: r.kind === 'phone' ? e164(r.address) : r.address, kind: r.kind, state: r.state })),
    },
    // docs/buyer-guide.md#receipts
    receipt: { channel: s.receiptChannel },
    // docs/merchant-guide.md#brand
    brand: brandJson(s),
    webhook_secret_rotated_at: s.webhookSecretRotatedAt?.toISOString() ?? null,
    created_at: s.createdAt.toISOString(),
  };
}

function brandJson(s: Shop) {
  const b = s.brand;
  return {
    logo: b.logo ? logoPath(s.id, b.logo) : null, color: b.color, button_color: b.color ? buttonColor(b.color) : null,
    support_email: b.supportEmail, support_phone: b.supportPhone ? e164(b.supportPhone) : null, terms_url: b.termsUrl,
  };
}
