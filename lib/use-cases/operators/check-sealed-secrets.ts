import type { Deps } from '../shared/deps.js';
import { hasKeyFor, isSealed, seal, SealedSecretError } from '../../domain/sealed-secrets.js';
import { sweepSealedSecrets } from './reseal-secrets.js';

/**
 * At every start: refuses to run with keys that open no stored secret (a wrong DATA_KEY would sign
 * with garbage), and seals values an earlier release kept in the clear. It never re-seals a sealed
 * value: other instances may not know DATA_KEY yet (docs/operator-guide.md#rotating-data_key-and-code_secret: step 3 is the CLI).
 */
export async function checkSealedSecrets(deps: Pick<Deps, 'db' | 'config'>): Promise<{ sealed: number }> {
  const outcome = await sweepSealedSecrets(deps, (ring, value, place) => {
    if (!isSealed(value)) return seal(ring, value, place);
    if (!hasKeyFor(ring, value)) throw new SealedSecretError(`a secret sealed with an unknown key (${value.split('.')[1]}) in ${place.table}.${place.column} of ${place.id}: check DATA_KEY, DATA_KEY_PREVIOUS and DATA_KEY_NEXT`);
    return value;
  });
  return { sealed: outcome.resealed + outcome.authenticators };
}
