import type { Deps } from './deps.js';
import { listSealedSecrets, replaceSealedSecrets } from '../store/shops.js';
import { isSealed, isSealedWith, open, seal, type Keyring } from '../domain/sealed-secrets.js';
import { keyringFor } from '../notify/keyring.js';
import { listSealedTotpSecrets, replaceTotpSecret } from '../store/office-users.js';

function resealed(ring: Keyring, value: string): string {
  if (isSealedWith(ring, value)) return value;
  // a value stored before secrets were sealed is sealed now; one sealed with DATA_KEY_PREVIOUS is sealed again with DATA_KEY
  return seal(ring, isSealed(value) ? open(ring, value) : value);
}

/**
 * Seals every merchant secret with the current DATA_KEY: those still in the clear (from before this
 * release) and those sealed with DATA_KEY_PREVIOUS (a key rotation). Runs at every start and as
 * `npm run cli -- secrets:reseal`; safe on many instances (each row changes only if unchanged since read).
 */
export async function resealSecrets(deps: Pick<Deps, 'db' | 'config'>): Promise<{ shops: number; resealed: number; authenticators: number }> {
  const ring = keyringFor(deps.config);
  const rows = await listSealedSecrets(deps.db);
  let count = 0;
  for (const row of rows) {
    const next = {
      sealedSecretKey: resealed(ring, row.sealedSecretKey),
      sealedWebhookSecret: resealed(ring, row.sealedWebhookSecret),
      // the webhook secret before a rotation still signs for 24 h: it moves to the new key too
      sealedPreviousWebhookSecret: row.sealedPreviousWebhookSecret === null ? null : resealed(ring, row.sealedPreviousWebhookSecret),
    };
    if (next.sealedSecretKey === row.sealedSecretKey && next.sealedWebhookSecret === row.sealedWebhookSecret
      && next.sealedPreviousWebhookSecret === row.sealedPreviousWebhookSecret) continue;
    if (await replaceSealedSecrets(deps.db, row.id, next, row)) count += 1;
  }
  // the back office's authenticator secrets are sealed with the same key: they move with it
  let authenticators = 0;
  for (const user of await listSealedTotpSecrets(deps.db)) {
    const next = resealed(ring, user.sealed);
    if (next !== user.sealed && (await replaceTotpSecret(deps.db, user.id, next, user.sealed))) authenticators += 1;
  }
  return { shops: rows.length, resealed: count, authenticators };
}
