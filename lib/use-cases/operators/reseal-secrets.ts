import type { Deps } from '../shared/deps.js';
import { listSealedSecrets, replaceSealedSecrets, type SealedSecrets } from '../../store/shops.js';
import { hasKeyFor, isSealed, isSealedWith, open, seal, SealedSecretError, type Keyring, type SealedPlace } from '../../domain/sealed-secrets.js';
import { keyringFor, placeOf } from '../../notify/keyring.js';
import { listSealedTotpSecrets, replaceTotpSecret } from '../../store/users.js';

/** What to store instead of a sealed (or, from before sealing, plain) value at its place. */
export type Reseal = (ring: Keyring, value: string, place: SealedPlace) => string;

/**
 * Passes every sealed value (shops' secret keys, webhook secrets current and retired, authenticator
 * secrets) through `next`; a row changes only if nobody changed it since it was read, so it is safe
 * on many instances and beside rotations.
 */
export async function sweepSealedSecrets(deps: Pick<Deps, 'db' | 'config'>, next: Reseal) {
  const ring = keyringFor(deps.config);
  const rows = await listSealedSecrets(deps.db);
  let count = 0;
  for (const row of rows) {
    const changed: SealedSecrets = {
      sealedSecretKey: next(ring, row.sealedSecretKey, placeOf.secretKey(row.id)),
      sealedWebhookSecret: next(ring, row.sealedWebhookSecret, placeOf.webhookSecret(row.id)),
      retiredWebhookSecrets: row.retiredWebhookSecrets.map((r) => ({ ...r, sealed: next(ring, r.sealed, placeOf.webhookSecret(row.id)) })),
    };
    if (JSON.stringify(changed) === JSON.stringify({ sealedSecretKey: row.sealedSecretKey, sealedWebhookSecret: row.sealedWebhookSecret, retiredWebhookSecrets: row.retiredWebhookSecrets })) continue;
    if (await replaceSealedSecrets(deps.db, row.id, changed, row)) count += 1;
  }
  let authenticators = 0;
  for (const user of await listSealedTotpSecrets(deps.db)) {
    const changed = next(ring, user.sealed, placeOf.totpSecret(user.id));
    if (changed !== user.sealed && (await replaceTotpSecret(deps.db, user.id, changed, user.sealed))) authenticators += 1;
  }
  return { shops: rows.length, resealed: count, authenticators };
}

/**
 * `npm run cli -- secrets:reseal`, the third step of a DATA_KEY rotation (docs/operator-guide.md#rotating-data_key-and-code_secret): seals every value
 * again with DATA_KEY, bound to its row and column. Run it only once every instance knows DATA_KEY:
 * an instance that lacks it cannot open what it writes. A value that does not open where it is (copied
 * from another row, or altered) is left as it is and named in `misplaced`.
 */
export async function resealSecrets(deps: Pick<Deps, 'db' | 'config'>): Promise<{ shops: number; resealed: number; authenticators: number; misplaced: string[] }> {
  const misplaced: string[] = [];
  const outcome = await sweepSealedSecrets(deps, (ring, value, place) => {
    if (isSealedWith(ring, value)) return value;
    if (!isSealed(value)) return seal(ring, value, place); // stored in the clear by a release before sealing
    try {
      return seal(ring, open(ring, value, place), place);
    } catch (err) {
      if (!(err instanceof SealedSecretError) || !hasKeyFor(ring, value)) throw err;
      misplaced.push(`${place.table}.${place.column} of ${place.id}`);
      return value;
    }
  });
  return { ...outcome, misplaced };
}
