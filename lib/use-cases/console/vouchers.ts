import type { Deps } from '../shared/deps.js';
import { inTransaction } from '../../postgres/db.js';
import { issueVouchers, type IssuedBatch, type IssueInput } from '../vouchers/issue-vouchers.js';
import { voidVoucher } from '../vouchers/void-voucher.js';
import { consoleNote, type ConsoleActor } from './actor.js';
import { formatAmount } from '../../domain/money.js';
import type { Voucher, VoucherId } from '../../domain/voucher.js';

/** A batch from the console (finance, admin): its codes are in the answer only; audited, the form's token spent with the batch. */
export function consoleIssueVouchers(deps: Pick<Deps, 'db' | 'clock' | 'config'>, actor: ConsoleActor, input: IssueInput): Promise<IssuedBatch> {
  return issueVouchers(deps, input, consoleNote<IssuedBatch>(deps, actor, 'vouchers.issue', { target: (b) => b.batchId },
    (b) => ({ count: b.vouchers.length, amount: formatAmount(input.amount), currency: input.currency, mode: input.mode ?? 'live' })));
}

/** Voids a voucher from the console; the void, its audit and the form's token commit together (the void's transaction is a savepoint of this one). */
export function consoleVoidVoucher(deps: Pick<Deps, 'db' | 'clock'>, actor: ConsoleActor, id: VoucherId): Promise<Voucher> {
  const note = consoleNote<Voucher>(deps, actor, 'voucher.void', { target: id }, (v) => ({ amount: formatAmount(v.amount), currency: v.currency }));
  return inTransaction(deps.db, async (trx) => {
    const voucher = await voidVoucher({ ...deps, db: trx }, id);
    await note(trx, voucher);
    return voucher;
  });
}
