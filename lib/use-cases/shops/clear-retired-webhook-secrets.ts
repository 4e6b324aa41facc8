import type { Deps } from '../shared/deps.js';
import { clearRetiredWebhookSecrets } from '../../store/shops.js';

/** A webhook secret a rotation replaced is kept (sealed) for its 24 h of signing, then removed from the database. */
export async function clearLapsedWebhookSecrets(deps: Pick<Deps, 'db' | 'clock'>): Promise<{ shops: number }> {
  return { shops: await clearRetiredWebhookSecrets(deps.db, deps.clock.now()) };
}
