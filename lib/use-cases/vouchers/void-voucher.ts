import type { Deps } from '../shared/deps.js';
import { inTransaction } from '../../postgres/db.js';
import * as vouchers from '../../store/vouchers.js';
import { retireVoucher } from '../../ledger/vouchers.js';
import { AppError } from '../../domain/errors.js';
import type { Voucher, VoucherId } from '../../domain/voucher.js';

/** Voids an active voucher: its money goes back from the float to issuance. Voiding a void one again changes nothing. */
export async function voidVoucher(deps: Pick<Deps, 'db' | 'clock'>, id: VoucherId): Promise<Voucher> {
  return inTransaction(deps.db, async (trx) => {
    const voucher = await vouchers.lockVoucher(trx, id);
    if (!voucher) throw new AppError('voucher_not_found', `No voucher ${id}`);
    if (voucher.status === 'void') return voucher;
    if (voucher.status !== 'active') throw new AppError('voucher_not_active', `The voucher is ${voucher.status}`);
    const at = deps.clock.now();
    const { transfer } = await retireVoucher(trx, voucher, 'void', at);
    return vouchers.endVoucher(trx, id, { status: 'void', at, transferId: transfer.id });
  });
}
