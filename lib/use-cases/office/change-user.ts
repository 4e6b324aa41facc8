import { randomBytes } from 'node:crypto';
import type { Deps } from '../shared/deps.js';
import type { Actor } from './actor.js';
import { inTransaction } from '../../postgres/db.js';
import * as users from '../../store/users.js';
import { deleteUserSessions } from '../../store/sessions.js';
import { insertAudit } from '../../store/audit-log.js';
import { assertMerchantActs } from '../merchants/merchant-acts.js';
import { spendActionToken } from '../shared/action-tokens.js';
import { AppError } from '../../domain/errors.js';
import type { UserId } from '../../domain/ids.js';
import { isOfficeUser, type Role, type OfficeUser } from '../../domain/office.js';
import { SETUP_LINK_TTL_MS } from '../../domain/user.js';
import { sha256Hex } from '../../domain/secrets.js';

export type UserChange = { role?: Role; status?: 'active' | 'disabled'; resetPassword?: boolean; resetTotp?: boolean };
export type ChangedUser = { user: OfficeUser; setupUrl: string | null };

/**
 * docs/merchant-guide.md#back-office "Users": an owner (`by`, within its merchant) or the operator (`by` null) changes a user's
 * role, disables or enables it, sends a new set-up link (the password is gone, every session ends)
 * and, the operator, resets its authenticator. A disabled user's sessions end at once. The
 * merchant's users are locked first, so two owners cannot demote each other into no active owner at
 * the same time; an owner cannot leave the merchant without one. Each change is audited with it, and
 * the owner's one-time form token spent with it (docs/merchant-guide.md#back-office "Acting once").
 */
export async function changeOfficeUser(deps: Pick<Deps, 'db' | 'clock' | 'config'>, userId: UserId, change: UserChange, by: Actor | null): Promise<ChangedUser> {
  const now = deps.clock.now();
  const token = change.resetPassword ? randomBytes(32).toString('base64url') : null;
  return inTransaction(deps.db, async (trx) => {
    const found = await users.findUser(trx, userId);
    if (!found || !isOfficeUser(found) || (by && found.merchantId !== by.merchantId)) throw new AppError('user_not_found', 'No such user');
    if (by) await assertMerchantActs(trx, found.merchantId);
    const all = await users.lockMerchantUsers(trx, found.merchantId);
    const user = all.find((u) => u.id === userId)!;
    const role = change.role ?? user.role;
    const disabled = change.status === undefined ? user.disabledAt !== null : change.status === 'disabled';
    const activeOwner = (u: OfficeUser) => u.role === 'owner' && !u.disabledAt && !u.emailElsewhere;
    if (by && activeOwner(user) && (role !== 'owner' || disabled) && !all.some((u) => u.id !== user.id && activeOwner(u))) {
      throw new AppError('last_owner', 'The merchant would have no active owner: make another user an owner first.');
    }
    const note = (action: string, details: Record<string, unknown> = {}) => insertAudit(trx, {
      merchantId: user.merchantId, userId: by?.userId ?? null, email: by?.email ?? 'operator', action, target: user.email, ip: by?.ip ?? null, at: now, details,
    });
    if (role !== user.role) {
      await users.setRole(trx, user.id, role);
      await note('user.role', { from: user.role, to: role });
    }
    if (disabled !== (user.disabledAt !== null)) {
      await users.setDisabled(trx, user.id, disabled ? now : null);
      await note(disabled ? 'user.disable' : 'user.enable');
    }
    if (token) {
      // a row that never signs in (another merchant's e-mail) is answered alike, with a link that opens nothing
      await users.resetSetup(trx, user.id, user.emailElsewhere ? null : sha256Hex(token), new Date(now.getTime() + SETUP_LINK_TTL_MS));
      await note('user.reset_password');
    }
    if (change.resetTotp) {
      await users.clearTotp(trx, user.id);
      await note('user.reset_totp');
    }
    // the event streams of these sessions end with them (they re-read their session)
    if (disabled || token) await deleteUserSessions(trx, user.id);
    const changed = { user: (await users.findUser(trx, user.id)) as OfficeUser, setupUrl: token && `${deps.config.publicUrl.replace(/\/$/, '')}/office/setup/${token}` };
    if (by?.once) await spendActionToken(deps, trx, by.once, changed);
    return changed;
  });
}
