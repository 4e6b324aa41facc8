import { randomBytes } from 'node:crypto';
import type { Deps } from '../shared/deps.js';
import { inTransaction } from '../../postgres/db.js';
import { findMerchant } from '../../store/merchants.js';
import * as users from '../../store/users.js';
import { insertAudit } from '../../store/audit-log.js';
import { AppError } from '../../domain/errors.js';
import { newId, type MerchantId, type UserId } from '../../domain/ids.js';
import type { Role } from '../../domain/office.js';
import { SETUP_LINK_TTL_MS } from '../../domain/user.js';
import { sha256Hex } from '../../domain/secrets.js';
import { assertMerchantActs } from '../merchants/merchant-acts.js';
import type { ActionNote } from '../shared/action-note.js';

export type CreatedUser = { id: UserId; email: string; role: Role; setupUrl: string; setupExpiresAt: Date };

/**
 * A back-office user (docs/merchant-guide.md#back-office), created by the operator or an owner: the answer carries the
 * one-time set-up link (72 h) where the user chooses a password; only the link's SHA-256 is kept.
 */
export async function createOfficeUser(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>, merchantId: MerchantId, input: { email: string; role: Role; by?: { userId: UserId; email: string; ip: string | null } },
  note?: ActionNote<UserId>,
): Promise<CreatedUser> {
  const token = randomBytes(32).toString('base64url');
  const now = deps.clock.now();
  const id = newId('usr');
  const setupExpiresAt = new Date(now.getTime() + SETUP_LINK_TTL_MS);
  await inTransaction(deps.db, async (trx) => {
    if (!(await findMerchant(trx, merchantId))) throw new AppError('merchant_not_found', `No merchant ${merchantId.slice(0, 40)}`);
    // an owner adds users only while the merchant is active; the operator (no `by`) always can
    if (input.by) await assertMerchantActs(trx, merchantId);
    const created = await users.insertUser(trx, {
      id, merchantId, email: input.email, role: input.role, setupTokenHash: sha256Hex(token), setupExpiresAt, createdAt: now, createdBy: input.by?.userId ?? 'operator',
    });
    // docs/merchant-guide.md#back-office: another merchant's e-mail is answered as a new one would be; its row never signs in, and its link opens nothing
    const elsewhere = !created && !(await users.emailInMerchant(trx, merchantId, input.email)) && (await users.insertUser(trx, {
      id, merchantId, email: input.email, role: input.role, setupTokenHash: null, setupExpiresAt, createdAt: now, createdBy: input.by?.userId ?? 'operator', elsewhere: true,
    }));
    if (!created && !elsewhere) throw new AppError('user_exists', 'A user with this e-mail exists already');
    await insertAudit(trx, { merchantId, userId: input.by?.userId ?? null, email: input.by?.email ?? 'operator', action: 'user.create', target: input.email, ip: input.by?.ip ?? null, at: now, details: { role: input.role } });
    await note?.(trx, id);
  });
  return { id, email: input.email, role: input.role, setupUrl: `${deps.config.publicUrl.replace(/\/$/, '')}/office/setup/${token}`, setupExpiresAt };
}
