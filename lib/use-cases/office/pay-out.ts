import type { Deps } from '../shared/deps.js';
import { createPayout, isSkipped } from '../payouts/create-payout.js';
import { noteAs, onceKey, type Actor } from './actions.js';
import { formatAmount } from '../../domain/money.js';
import type { Payout } from '../../domain/payout.js';

/** "Pay out now" (docs/merchant-guide.md#back-office): the API's payout of one purse, audited, its form's token the idempotency key. */
export async function officePayout(deps: Pick<Deps, 'db' | 'clock'>, actor: Actor, purse: string): Promise<Payout> {
  const made = await createPayout(deps, { trigger: 'request', purse, merchantId: actor.merchantId, createKey: onceKey(actor) ?? null },
    noteAs(deps, actor, 'payout.create', (p: Payout) => p.id, (p) => ({ purse, amount: formatAmount(p.amount) })));
  if (isSkipped(made)) throw new Error(`a requested payout was skipped: ${made.skipped}`);
  return made;
}
