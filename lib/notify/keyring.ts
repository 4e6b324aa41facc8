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
