import type { Deps } from '../shared/deps.js';
import type { ActionNote } from '../shared/action-note.js';
import type { ActingOnce } from '../shared/action-tokens.js';
import { spendActionToken } from '../shared/action-tokens.js';
import { insertAudit } from '../../store/audit-log.js';
import type { MerchantId, UserId } from '../../domain/ids.js';

/** Who acts in the operator console: the operator user, its address, and the form's one-time token. */
export type ConsoleActor = { userId: UserId; email: string; ip: string | null; once?: ActingOnce };

/**
 * The audit entry of a console action (audience 'console', naming the operator and the merchant acted on), written
 * with the form's one-time token in the transaction of the change (docs/operator-guide.md#operator-console).
 */
export function consoleNote<R>(
  deps: Pick<Deps, 'clock'>, actor: ConsoleActor, action: string, on: { target: string | ((result: R) => string) | null; merchantId?: MerchantId | ((result: R) => MerchantId | null) | null },
  details: (result: R) => Record<string, unknown> = () => ({}),
): ActionNote<R> {
  return async (trx, result) => {
    await insertAudit(trx, {
      audience: 'console', merchantId: (typeof on.merchantId === 'function' ? on.merchantId(result) : on.merchantId) ?? null, userId: actor.userId, email: actor.email, action,
      target: typeof on.target === 'function' ? on.target(result) : on.target, ip: actor.ip, at: deps.clock.now(), details: details(result),
    });
    if (actor.once) await spendActionToken(deps, trx, actor.once, result);
  };
}

/** The form's token is the action's idempotency key too: a twin post finds the refund it made. */
export const consoleOnceKey = (actor: ConsoleActor) => (actor.once ? `once:${actor.once.tokenHash.slice(0, 40)}` : undefined);
