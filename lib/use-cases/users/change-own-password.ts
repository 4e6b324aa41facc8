import { hash, verify } from '@node-rs/argon2';
import type { Deps } from '../shared/deps.js';
import type { Session } from './session.js';
import { auditActor, giveBackTry, takeTry, triesKey } from './session.js';
import { inTransaction } from '../../postgres/db.js';
import * as users from '../../store/users.js';
import { deleteUserSessions } from '../../store/sessions.js';
import { insertAudit } from '../../store/audit-log.js';
import { passwordProblem } from '../../domain/user.js';

export type PasswordChange = { ok: true } | { ok: false; problem: 'wrong' | 'too_short' | 'too_long'; lockedUntil?: undefined } | { ok: false; problem: 'locked'; lockedUntil: Date };

/**
 * docs/merchant-guide.md#back-office: a signed-in user changes its own password, proving the current one (a try counted as
 * a sign-in's is, so a stolen session cannot guess it); every other session of the user ends.
 */
export async function changeOwnPassword(deps: Pick<Deps, 'db' | 'clock'>, session: Session, input: { password: string; newPassword: string; ip: string | null }): Promise<PasswordChange> {
  const weak = passwordProblem(input.newPassword);
  if (weak) return { ok: false, problem: weak };
  const now = deps.clock.now();
  const { user } = session;
  const key = triesKey(user.audience, user.email ?? user.id);
  const refused = await takeTry(deps, key, now);
  if (refused) return { ok: false, problem: 'locked', lockedUntil: refused.lockedUntil! };
  if (!user.passwordHash || !(await verify(user.passwordHash, input.password).catch(() => false))) {
    await insertAudit(deps.db, { ...auditActor(user), action: 'password_change_failed', target: null, ip: input.ip, at: now });
    return { ok: false, problem: 'wrong' };
  }
  await giveBackTry(deps, key, now);
  const passwordHash = await hash(input.newPassword);
  await inTransaction(deps.db, async (trx) => {
    await users.setPassword(trx, user.id, passwordHash);
    const ended = await deleteUserSessions(trx, user.id, session.tokenHash);
    await insertAudit(trx, { ...auditActor(user), action: 'user.password_changed', target: user.email, ip: input.ip, at: now, details: { sessions_ended: ended } });
  });
  return { ok: true };
}
