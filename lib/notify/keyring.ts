import type { Config } from '../config.js';
import { keyringOf, open, type Keyring } from '../domain/sealed-secrets.js';
import type { ShopRow } from '../store/shops.js';

const rings = new WeakMap<object, Keyring>();

/** The keys merchant secrets are sealed with (DATA_KEY, and DATA_KEY_PREVIOUS during a rotation). */
export function keyringFor(config: Pick<Config, 'dataKey' | 'dataKeyPrevious'>): Keyring {
  let ring = rings.get(config);
  if (!ring) {
    if (!config.dataKey) throw new Error('DATA_KEY is not configured');
    ring = keyringOf(config.dataKey, config.dataKeyPrevious);
    rings.set(config, ring);
  }
  return ring;
}

/** The shop's secret key (LMI_HASH, LMI_PAYMENTFORM_SIGN) in the clear, for the signature being made now. */
export function secretKeyOf(config: Pick<Config, 'dataKey' | 'dataKeyPrevious'>, m: Pick<ShopRow, 'sealedSecretKey'>): string {
  return open(keyringFor(config), m.sealedSecretKey);
}

export function webhookSecretOf(config: Pick<Config, 'dataKey' | 'dataKeyPrevious'>, m: Pick<ShopRow, 'sealedWebhookSecret'>): string {
  return open(keyringFor(config), m.sealedWebhookSecret);
}

const DUAL_SIGNING_MS = 24 * 3_600_000;

/** The webhook secrets that sign now: the current one, and for 24 h after a rotation the previous one too. */
export function webhookSecretsOf(config: Pick<Config, 'dataKey' | 'dataKeyPrevious'>, s: Pick<ShopRow, 'sealedWebhookSecret' | 'sealedPreviousWebhookSecret' | 'webhookSecretRotatedAt'>, now: Date): string[] {
  const current = webhookSecretOf(config, s);
  const fresh = s.sealedPreviousWebhookSecret && s.webhookSecretRotatedAt && now.getTime() - s.webhookSecretRotatedAt.getTime() < DUAL_SIGNING_MS;
  if (!fresh) return [current];
  try {
    return [current, open(keyringFor(config), s.sealedPreviousWebhookSecret!)];
  } catch {
    return [current]; // sealed with a DATA_KEY retired since: the new secret alone signs
  }
}
