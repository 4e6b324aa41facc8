import { randomBytes } from 'node:crypto';
import type { Deps } from '../shared/deps.js';
import { inTransaction } from '../../postgres/db.js';
import * as users from '../../store/users.js';
import { deleteUserSessions } from '../../store/sessions.js';
import { insertAudit } from '../../store/audit-log.js';
import { AppError } from '../../domain/errors.js';
import { newId, type MerchantId, type UserId } from '../../domain/ids.js';
import { isConsoleUser, type ConsoleRole, type ConsoleUser } from '../../domain/console.js';
import type { OfficeUser } from '../../domain/office.js';
import { SETUP_LINK_TTL_MS } from '../../domain/user.js';
import { sha256Hex } from '../../domain/secrets.js';

export type CreatedOperator = { id: UserId; email: string; role: ConsoleRole; setupUrl: string; setupExpiresAt: Date };
export type OperatorChange = { role?: ConsoleRole; status?: 'active' | 'disabled'; resetPassword?: boolean; resetTotp?: boolean };

const setupUrlOf = (deps: Pick<Deps, 'config'>, token: string) => `${deps.config.publicUrl.replace(/\/$/, '')}/console/setup/${token}`;

/**
 * An operator user of the console (docs/operator-guide.md#operator-console), made by the CLI or the admin API: the answer carries
 * the one-time set-up link (72 h); only its SHA-256 is kept. `by` names who made it in the audit.
 */
export async function createOperator(deps: Pick<Deps, 'db' | 'clock' | 'config'>, input: { email: string; role: ConsoleRole }, by: string): Promise<CreatedOperator> {
  const token = randomBytes(32).toString('base64url');
  const now = deps.clock.now();
  const id = newId('usr');
  const setupExpiresAt = new Date(now.getTime() + SETUP_LINK_TTL_MS);
  await inTransaction(deps.db, async (trx) => {
    const made = await users.insertOperator(trx, { id, email: input.email, role: input.role, setupTokenHash: sha256Hex(token), setupExpiresAt, createdAt: now, createdBy: by });
    if (!made) throw new AppError('user_exists', 'An operator with this e-mail exists already');
    await insertAudit(trx, { audience: 'console', merchantId: null, userId: null, email: by, action: 'operator.create', target: input.email, ip: null, at: now, details: { role: input.role } });
  });
  return { id, email: input.email, role: input.role, setupUrl: setupUrlOf(deps, token), setupExpiresAt };
}

export async function listOperatorUsers(deps: Pick<Deps, 'db'>): Promise<ConsoleUser[]> {
  return (await users.listOperators(deps.db)).filter(isConsoleUser);
}

/** Role, disabled (its sessions end at once) or enabled, a new set-up link (password gone, sessions end), the authenticator removed. */
export async function changeOperator(deps: Pick<Deps, 'db' | 'clock' | 'config'>, id: UserId, change: OperatorChange, by: string): Promise<{ user: ConsoleUser; setupUrl: string | null }> {
  const now = deps.clock.now();
  const token = change.resetPassword ? randomBytes(32).toString('base64url') : null;
  return inTransaction(deps.db, async (trx) => {
    const user = await users.lockOperator(trx, id);
    if (!user || !isConsoleUser(user)) throw new AppError('user_not_found', 'No such operator');
    const note = (action: string, details: Record<string, unknown> = {}) =>
      insertAudit(trx, { audience: 'console', merchantId: null, userId: null, email: by, action, target: user.email, ip: null, at: now, details });
    if (change.role && change.role !== user.role) {
      await users.setRole(trx, id, change.role);
      await note('operator.role', { from: user.role, to: change.role });
    }
    const disabled = change.status === undefined ? user.disabledAt !== null : change.status === 'disabled';
    if (disabled !== (user.disabledAt !== null)) {
      await users.setDisabled(trx, id, disabled ? now : null);
      await note(disabled ? 'operator.disable' : 'operator.enable');
    }
    if (token) {
      await users.resetSetup(trx, id, sha256Hex(token), new Date(now.getTime() + SETUP_LINK_TTL_MS));
      await note('operator.reset_password');
    }
    if (change.resetTotp) {
      await users.clearTotp(trx, id);
      await note('operator.reset_totp');
    }
    if (disabled || token) await deleteUserSessions(trx, id);
    return { user: (await users.findUser(trx, id)) as ConsoleUser, setupUrl: token && setupUrlOf(deps, token) };
  });
}

/** Merchants' users across merchants (GET /admin/v1/users), by id, a page at a time. */
export async function listAllOfficeUsers(deps: Pick<Deps, 'db'>, f: { merchantId?: MerchantId; email?: string; after?: string; limit: number }) {
  const rows: OfficeUser[] = await users.listOfficeUsersOfAll(deps.db, { merchantId: f.merchantId, email: f.email, afterId: f.after, limit: f.limit + 1 });
  const data = rows.slice(0, f.limit);
  return { data, hasMore: rows.length > f.limit, nextCursor: rows.length > f.limit ? data.at(-1)!.id : null };
}
