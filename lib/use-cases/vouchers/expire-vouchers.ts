import type { Deps } from '../shared/deps.js';
import { inTransaction } from '../../postgres/db.js';
import * as vouchers from '../../store/vouchers.js';
import { retireVoucher } from '../../ledger/vouchers.js';

const BATCH = 200;

/**
 * The expiry job: active vouchers past `expires_at` become `expired` and their money goes from the float
 * back to issuance. Each batch is claimed with SKIP LOCKED, so instances running it at once share the
 * work and each voucher is retired once. Returns how many expired.
 */
export async function expireVouchers(deps: Pick<Deps, 'db' | 'clock'>, opts: { maxBatches?: number } = {}): Promise<number> {
  let total = 0;
  for (let round = 0; round < (opts.maxBatches ?? 50); round++) {
    const done = await inTransaction(deps.db, async (trx) => {
      const at = deps.clock.now();
      const due = await vouchers.claimExpired(trx, at, BATCH);
      for (const voucher of due) {
        const { transfer } = await retireVoucher(trx, voucher, 'expiry', at);
        await vouchers.endVoucher(trx, voucher.id, { status: 'expired', at, transferId: transfer.id });
      }
      return due.length;
    });
    total += done;
    if (done < BATCH) break;
  }
  return total;
}
