import type { Knex } from '../postgres/db.js';
import { postTransfer } from './transfer.js';
import type { Mode } from '../domain/ledger.js';
import type { Currency } from '../domain/currency.js';
import type { Minor } from '../domain/money.js';
import { transferKeys } from '../domain/transfer-keys.js';
import { issuancePurse } from '../domain/wallet.js';
import { voucherFloatPurse, type Voucher, type VoucherBatchId } from '../domain/voucher.js';

/**
 * The money of vouchers (docs/operator-guide.md#vouchers-and-cash-in). Transfer kinds: `voucher_issue`
 * (issuance → float), `voucher` (float → the buyer: a redemption), `voucher_void` and `voucher_expiry`
 * (float → issuance). The float and issuance accounts are in the reserved range, so they are locked
 * after the buyer's wallet (docs/architecture.md#the-ledger).
 */
export function issueBatch(trx: Knex.Transaction, b: { batchId: VoucherBatchId; currency: Currency; mode: Mode; total: Minor; count: number; at: Date }) {
  return postTransfer(trx, {
    key: transferKeys.voucherBatch(b.batchId), kind: 'voucher_issue', currency: b.currency, mode: b.mode, at: b.at,
    legs: [{ purse: issuancePurse(b.currency, b.mode), amount: -b.total }, { purse: voucherFloatPurse(b.currency, b.mode), amount: b.total }],
    metadata: { batch: b.batchId, count: b.count },
  });
}

/** Float → the buyer's wallet: the one transfer a voucher's redemption makes. */
export function redeemInto(trx: Knex.Transaction, v: Voucher, purse: string, at: Date) {
  return postTransfer(trx, {
    key: transferKeys.voucherRedeem(v.id), kind: 'voucher', currency: v.currency, mode: v.mode, at,
    legs: [{ purse: voucherFloatPurse(v.currency, v.mode), amount: -v.amount }, { purse, amount: v.amount }],
    metadata: { voucher: v.id },
  });
}

/** Float → issuance: a voided or expired voucher's money goes out of circulation. */
export function retireVoucher(trx: Knex.Transaction, v: Voucher, why: 'void' | 'expiry', at: Date) {
  return postTransfer(trx, {
    key: transferKeys.voucherEnd(v.id), kind: `voucher_${why}`, currency: v.currency, mode: v.mode, at,
    legs: [{ purse: voucherFloatPurse(v.currency, v.mode), amount: -v.amount }, { purse: issuancePurse(v.currency, v.mode), amount: v.amount }],
    metadata: { voucher: v.id },
  });
}
