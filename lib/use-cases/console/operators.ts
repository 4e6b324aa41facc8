import { randomBytes } from 'node:crypto';
import type { Deps } from '../shared/deps.js';
import { inTransaction, type Knex } from '../../postgres/db.js';
import * as users from '../../store/users.js';
import { deleteUserSessions } from '../../store/sessions.js';
import { insertAudit } from '../../store/audit-log.js';
import { AppError } from '../../domain/errors.js';
import { newId, type MerchantId, type UserId } from '../../domain/ids.js';
import { isConsoleUser, type ConsoleRole, type ConsoleUser } from '../../domain/console.js';
import type { OfficeUser } from '../../domain/office.js';
import { SETUP_LINK_TTL_MS, type User } from '../../domain/user.js';
import { sha256Hex } from '../../domain/secrets.js';
import { spendActionToken } from '../shared/action-tokens.js';
import type { ConsoleActor } from './actor.js';

export type CreatedOperator = { id: UserId; email: string; role: ConsoleRole; setupUrl: string; setupExpiresAt: Date };
export type OperatorChange = { role?: ConsoleRole; status?: 'active' | 'disabled'; resetPassword?: boolean; resetTotp?: boolean };

/** Who makes an operator change: the CLI or the admin API (a name for the audit), or an admin in the console (its user, address and one-time form token). */
export type OperatorBy = string | ConsoleActor;

const setupUrlOf = (deps: Pick<Deps, 'config'>, token: string) => `${deps.config.publicUrl.replace(/\/$/, '')}/console/setup/${token}`;
const auditBy = (by: OperatorBy) => (typeof by === 'string' ? { userId: null, email: by, ip: null } : { userId: by.userId, email: by.email, ip: by.ip });
// the console form's token is spent with the change it made, so a second post of the form acts no more
const spendOnce = (deps: Pick<Deps, 'clock'>, trx: Knex.Transaction, by: OperatorBy, result: unknown) =>
  (typeof by !== 'string' && by.once ? spendActionToken(deps, trx, by.once, result) : Promise.resolve());

/**
 * An operator user of the console (docs/operator-guide.md#operator-console), made by the CLI, the admin API or an admin in the console:
 * the answer carries the one-time set-up link (72 h); only its SHA-256 is kept. `by` names who made it in the audit.
 */
export async function createOperator(deps: Pick<Deps, 'db' | 'clock' | 'config'>, input: { email: string; role: ConsoleRole }, by: OperatorBy): Promise<CreatedOperator> {
  const token = randomBytes(32).toString('base64url');
  const now = deps.clock.now();
  const id = newId('usr');
  const setupExpiresAt = new Date(now.getTime() + SETUP_LINK_TTL_MS);
  await inTransaction(deps.db, async (trx) => {
    const made = await users.insertOperator(trx, { id, email: input.email, role: input.role, setupTokenHash: sha256Hex(token), setupExpiresAt, createdAt: now, createdBy: typeof by === 'string' ? by : by.userId });
    if (!made) throw new AppError('user_exists', 'An operator with this e-mail exists already');
    await insertAudit(trx, { audience: 'console', merchantId: null, ...auditBy(by), action: 'operator.create', target: input.email, at: now, details: { role: input.role } });
    await spendOnce(deps, trx, by, id);
  });
  return { id, email: input.email, role: input.role, setupUrl: setupUrlOf(deps, token), setupExpiresAt };
}

export async function listOperatorUsers(deps: Pick<Deps, 'db'>): Promise<ConsoleUser[]> {
  return (await users.listOperators(deps.db)).filter(isConsoleUser);
}

/** An operator user as the console's operators page shows it: no password or secret, only whether they are there. */
export type OperatorRow = {
  id: UserId; email: string; role: ConsoleRole; status: 'active' | 'disabled';
  totp: boolean; passkeys: number; setupPending: boolean; lastSignInAt: Date | null;
};

/** docs/operator-guide.md#operator-console: every operator user, with its second factors, set-up and last sign-in. */
export async function listOperatorRows(deps: Pick<Deps, 'db'>): Promise<OperatorRow[]> {
  const [all, facts] = await Promise.all([listOperatorUsers(deps), users.operatorSignInFacts(deps.db)]);
  const factsOf = new Map(facts.map((f) => [f.id, f]));
  return all.map((u) => ({
    id: u.id, email: u.email, role: u.role, status: u.disabledAt ? 'disabled' : 'active',
    totp: u.sealedTotpSecret !== null, passkeys: factsOf.get(u.id)?.passkeys ?? 0,
    setupPending: u.passwordHash === null, lastSignInAt: factsOf.get(u.id)?.lastSignInAt ?? null,
  }));
}

/**
 * Role, disabled (its sessions end at once) or enabled, a new set-up link (password gone, sessions end), the authenticator removed.
 * From the console every operator is locked first, so that the rules of `refuseOperatorChange` hold under concurrent changes.
 */
export async function changeOperator(deps: Pick<Deps, 'db' | 'clock' | 'config'>, id: UserId, change: OperatorChange, by: OperatorBy): Promise<{ user: ConsoleUser; setupUrl: string | null }> {
  const now = deps.clock.now();
  const token = change.resetPassword ? randomBytes(32).toString('base64url') : null;
  return inTransaction(deps.db, async (trx) => {
    const admin = typeof by === 'string' ? undefined : by;
    const all = admin && (await users.lockOperators(trx));
    const user = await users.lockOperator(trx, id);
    if (!user || !isConsoleUser(user)) throw new AppError('user_not_found', 'No such operator');
    if (admin && all) refuseOperatorChange(all, admin.userId, user, change);
    const note = (action: string, details: Record<string, unknown> = {}) =>
      insertAudit(trx, { audience: 'console', merchantId: null, ...auditBy(by), action, target: user.email, at: now, details });
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
    const changed = { user: (await users.findUser(trx, id)) as ConsoleUser, setupUrl: token && setupUrlOf(deps, token) };
    await spendOnce(deps, trx, by, changed);
    return changed;
  });
}

/**
 * docs/operator-guide.md#operator-console: an admin in the console neither demotes nor disables themself, nor leaves the console
 * without an active admin; and must still be an active admin when the change runs (another admin may just have demoted it).
 */
export function refuseOperatorChange(all: User[], actorId: UserId, target: User, change: OperatorChange): void {
  const activeAdmin = (u: User) => u.role === 'admin' && u.disabledAt === null;
  const role = change.role ?? target.role;
  const disabled = change.status === undefined ? target.disabledAt !== null : change.status === 'disabled';
  const losesAdmin = activeAdmin(target) && (role !== 'admin' || disabled);
  if (target.id === actorId && (role !== target.role || disabled)) throw new AppError('own_operator', 'You cannot change your own role or disable yourself: ask another admin.');
  if (losesAdmin && !all.some((u) => u.id !== target.id && activeAdmin(u))) throw new AppError('last_admin', 'The console would have no active admin: make another operator an admin first.');
  const actor = all.find((u) => u.id === actorId);
  if (!actor || !activeAdmin(actor)) throw new AppError('forbidden', 'Only an active admin changes operator users');
}

/** Merchants' users across merchants (GET /admin/v1/users), by id, a page at a time. */
export async function listAllOfficeUsers(deps: Pick<Deps, 'db'>, f: { merchantId?: MerchantId; email?: string; after?: string; limit: number }) {
  const rows: OfficeUser[] = await users.listOfficeUsersOfAll(deps.db, { merchantId: f.merchantId, email: f.email, afterId: f.after, limit: f.limit + 1 });
  const data = rows.slice(0, f.limit);
  return { data, hasMore: rows.length > f.limit, nextCursor: rows.length > f.limit ? data.at(-1)!.id : null };
}
