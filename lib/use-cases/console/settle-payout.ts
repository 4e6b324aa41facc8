import type { PayDeps } from '../shared/deps.js';
import { settlePayout, type PayoutEnd } from '../payouts/settle-payout.js';
import { consoleNote, type ConsoleActor } from './actor.js';
import { formatAmount } from '../../domain/money.js';
import type { PayoutId } from '../../domain/ids.js';
import type { Payout } from '../../domain/payout.js';

/** The bank step from the console (finance, admin): the admin API's settle-payout, audited with the operator, the token spent with it. */
export function consoleSettlePayout(deps: PayDeps, actor: ConsoleActor, id: PayoutId, end: PayoutEnd): Promise<Payout> {
  return settlePayout(deps, id, end, consoleNote<Payout>(deps, actor, `payout.${end.status}`, { target: id, merchantId: (p) => p.merchantId },
    (p) => ({ amount: formatAmount(p.amount), currency: p.currency, ...(end.status === 'paid' ? { reference: end.reference } : { reason: end.reason }) })));
}
