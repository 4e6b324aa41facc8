import type { Deps } from '../shared/deps.js';
import { inTransaction } from '../../postgres/db.js';
import * as passkeys from '../../store/passkeys.js';
import { insertAudit } from '../../store/audit-log.js';
import { spendActionToken, type ActingOnce } from '../shared/action-tokens.js';
import { auditActor } from './session.js';
import { AppError } from '../../domain/errors.js';
import type { User } from '../../domain/user.js';

/**
 * Removes one of the user's passkeys. The last one goes only when `mayRemoveLast` (the buyer's page: an SMS-code
 * sign-in within the last minutes, docs/buyer-guide.md#paying-with-a-passkey); the user's row is locked, so two
 * removals at once cannot both see "not the last".
 */
export async function removePasskey(deps: Pick<Deps, 'db' | 'clock'>, user: User, passkeyId: string, input: { mayRemoveLast: boolean; ip: string | null; once?: ActingOnce }): Promise<void> {
  await inTransaction(deps.db, async (trx) => {
    await passkeys.lockUser(trx, user.id);
    const mine = await passkeys.listPasskeys(trx, user.id);
    if (!mine.some((p) => p.id === passkeyId)) throw new AppError('not_found', 'No such passkey');
    if (mine.length === 1 && !input.mayRemoveLast) throw new AppError('forbidden', 'Removing the last passkey needs a fresh sign-in with an SMS code');
    await passkeys.deletePasskey(trx, user.id, passkeyId);
    await insertAudit(trx, { ...auditActor(user), action: 'passkey_removed', target: passkeyId, ip: input.ip, at: deps.clock.now() });
    if (input.once) await spendActionToken(deps, trx, input.once, null);
  });
}
