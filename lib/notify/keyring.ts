import type { Config } from '../config.js';
import { keyringOf, open, seal, type Keyring, type SealedPlace } from '../domain/sealed-secrets.js';
import type { ShopId, UserId } from '../domain/ids.js';
import type { Shop } from '../domain/shop.js';

type KeyConfig = Pick<Config, 'dataKey' | 'dataKeyPrevious' | 'dataKeyNext'>;

const rings = new WeakMap<object, Keyring>();

/** The keys merchant secrets are sealed with: DATA_KEY seals; DATA_KEY_PREVIOUS and DATA_KEY_NEXT only open (a rotation in phases). */
export function keyringFor(config: KeyConfig): Keyring {
  let ring = rings.get(config);
  if (!ring) {
    if (!config.dataKey) throw new Error('DATA_KEY is not configured');
    ring = keyringOf(config.dataKey, config.dataKeyPrevious, config.dataKeyNext);
    rings.set(config, ring);
  }
  return ring;
}

/** Every sealed column, so a value opens only in the row and column it was sealed for. */
export const placeOf = {
  secretKey: (id: ShopId): SealedPlace => ({ table: 'shops', column: 'secret_key', id }),
  // the current and the retired webhook secrets of a shop are one kind: a rotation moves the value unchanged
  webhookSecret: (id: ShopId): SealedPlace => ({ table: 'shops', column: 'webhook_secret', id }),
  // the label of the table before it held every audience's users: values sealed then still open
  totpSecret: (id: UserId): SealedPlace => ({ table: 'office_users', column: 'totp_secret', id }),
};

export function sealIn(config: KeyConfig, plain: string, place: SealedPlace): string {
  return seal(keyringFor(config), plain, place);
}

export function openIn(config: KeyConfig, sealed: string, place: SealedPlace): string {
  return open(keyringFor(config), sealed, place);
}

/** The shop's secret key (LMI_HASH, LMI_PAYMENTFORM_SIGN) in the clear, for the signature being made now. */
export function secretKeyOf(config: KeyConfig, m: Pick<Shop, 'id' | 'sealedSecretKey'>): string {
  return openIn(config, m.sealedSecretKey, placeOf.secretKey(m.id));
}

export function webhookSecretOf(config: KeyConfig, m: Pick<Shop, 'id' | 'sealedWebhookSecret'>): string {
  return openIn(config, m.sealedWebhookSecret, placeOf.webhookSecret(m.id));
}

/** A retired webhook secret signs for 24 h after the rotation that replaced it. */
export const WEBHOOK_SECRET_OVERLAP_MS = 24 * 3_600_000;

/** The webhook secrets that sign now: the current one, and each secret a rotation replaced until its own 24 h end. */
export function webhookSecretsOf(config: KeyConfig, s: Pick<Shop, 'id' | 'sealedWebhookSecret' | 'retiredWebhookSecrets'>, now: Date): string[] {
  const retired = s.retiredWebhookSecrets
    .filter((r) => Date.parse(r.until) > now.getTime())
    .sort((a, b) => Date.parse(b.until) - Date.parse(a.until))
    .flatMap((r) => {
      try {
        return [openIn(config, r.sealed, placeOf.webhookSecret(s.id))];
      } catch {
        return []; // sealed with a DATA_KEY retired since: the newer secrets alone sign
      }
    });
  return [webhookSecretOf(config, s), ...retired];
}
