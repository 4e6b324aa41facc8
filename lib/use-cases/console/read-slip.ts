import type { Deps } from '../shared/deps.js';
import { findTopUpSlip, type TopUpSlipRow } from '../../store/wallet-postings.js';
import { AppError } from '../../domain/errors.js';
import type { UserId } from '../../domain/ids.js';

/** A top-up's slip; a cashier (who reads nothing else) sees only the slips of their own cash-ins. */
export async function readTopUpSlip(deps: Pick<Deps, 'db'>, transferId: bigint, viewer: { userId: UserId; readsAll: boolean }): Promise<TopUpSlipRow> {
  const slip = await findTopUpSlip(deps.db, transferId);
  if (!slip || (!viewer.readsAll && slip.operatorId !== viewer.userId)) throw new AppError('not_found', 'No such top-up');
  return slip;
}
