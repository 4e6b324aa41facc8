import type { AlertSettings } from './alerts.js';
import type { MerchantId, ShopId } from './ids.js';
import type { Mode } from './ledger.js';
import type { HashMethod, RedirectMethod } from './lmi.js';
import type { MerchantStatus } from './merchant.js';
import type { ShopMethod } from './shop-rules.js';
import type { FeeRefund } from './fee.js';
import type { ReceiptChannel } from './receipt.js';
import type { Brand } from './brand.js';

export type ShopStatus = 'active' | 'disabled';

/**
 * A shop: what the buyer sees (its name on the pages and in the SMS) and what carries the payment
 * settings (docs/merchant-guide.md#shops-methods-and-keys). Read with its merchant's mode and status, which every payment rule needs too.
 */
export type Shop = {
  id: ShopId;
  merchantId: MerchantId;
  name: string;
  status: ShopStatus;
  methods: ShopMethod[];
  lang: string;
  /** Sealed with DATA_KEY (domain/sealed-secrets.ts): opened only where a signature is made or checked. */
  sealedSecretKey: string;
  sealedWebhookSecret: string;
  /** Webhook secrets replaced by a rotation, each still signing until its own `until` (24 h after it was replaced). */
  retiredWebhookSecrets: RetiredWebhookSecret[];
  webhookSecretRotatedAt: Date | null;
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
  /** Honour LMI_RESULT_URL / LMI_SUCCESS_URL / LMI_FAIL_URL of posted forms (docs/merchant-guide.md#shops-methods-and-keys). */
  allowFormUrls: boolean;
  captureMode: 'automatic' | 'manual';
  /** The shop's own fee (docs/merchant-guide.md#fees); null fields follow the operator's default. */
  feePercentBp: number | null;
  feeFixed: bigint | null;
  feeRefund: FeeRefund | null;
  /** Who hears of which events (docs/merchant-guide.md#alerts). */
  alerts: AlertSettings;
  /** Recipients of `alerts` who clicked their confirmation link, as `email:a@b.c` or `phone:4915…` (docs/merchant-guide.md#alerts). */
  confirmedRecipients: string[];
  /** How the buyer gets receipts (docs/buyer-guide.md#receipts). */
  receiptChannel: ReceiptChannel;
  /** Logo, colour, support contact and terms shown to the buyer (docs/merchant-guide.md#brand). */
  brand: Brand;
  createdAt: Date;
  /** The merchant's. */
  mode: Mode;
  merchantStatus: MerchantStatus;
};

/** A sealed webhook secret a rotation replaced, and the end of its 24 h (ISO time). */
export type RetiredWebhookSecret = { sealed: string; until: string };
