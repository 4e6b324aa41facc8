import type { Deps } from '../shared/deps.js';
import type { ActionNote } from '../shared/action-note.js';
import { inTransaction } from '../../postgres/db.js';
import * as vouchers from '../../store/vouchers.js';
import { issueBatch } from '../../ledger/vouchers.js';
import { newId } from '../../domain/ids.js';
import { invalidRequest } from '../../domain/errors.js';
import { MAX_VOUCHERS_PER_BATCH, newVoucherCode, normalizeVoucherCode, voucherCodeHash, type Voucher, type VoucherBatchId, type VoucherId } from '../../domain/voucher.js';
import type { Currency } from '../../domain/currency.js';
import type { Mode } from '../../domain/ledger.js';
import type { Minor } from '../../domain/money.js';
import { currentCodeSecret } from '../payments/code-secrets.js';

export type IssueInput = { currency: Currency; amount: Minor; count: number; expiresAt?: Date; mode?: Mode };
export type IssuedBatch = { batchId: VoucherBatchId; vouchers: { voucher: Voucher; code: string }[] };
/** Called as codes are made (done of total), for the CLI's progress bar. */
export type OnProgress = (done: number, total: number) => void;

/**
 * Makes a batch of vouchers (docs/operator-guide.md#vouchers-and-cash-in): codes drawn and hashed here, the rows and the
 * issuance → float transfer of their total in one transaction. The codes exist only in the answer.
 */
export async function issueVouchers(deps: Pick<Deps, 'db' | 'clock' | 'config'>, input: IssueInput, note?: ActionNote<IssuedBatch>, onProgress?: OnProgress): Promise<IssuedBatch> {
  const now = deps.clock.now();
  if (!Number.isInteger(input.count) || input.count < 1 || input.count > MAX_VOUCHERS_PER_BATCH) throw invalidRequest(`count is 1 to ${MAX_VOUCHERS_PER_BATCH}`);
  if (input.expiresAt && input.expiresAt <= now) throw invalidRequest('expires_at is in the past', [{ field: 'expires_at', message: 'must be in the future' }]);
  const { secret, id: secretId } = currentCodeSecret(deps.config);
  const codes: string[] = [];
  const hashes: string[] = [];
  const ids: VoucherId[] = [];
  for (let i = 0; i < input.count; i++) {
    const code = newVoucherCode();
    codes.push(code);
    hashes.push(voucherCodeHash(secret, normalizeVoucherCode(code)!));
    ids.push(newId('vch'));
    if (onProgress && ((i + 1) % 500 === 0 || i + 1 === input.count)) onProgress(i + 1, input.count);
  }
  const mode = input.mode ?? 'live';
  const batchId = newId('vbt');
  return inTransaction(deps.db, async (trx) => {
    const { transfer } = await issueBatch(trx, { batchId, currency: input.currency, mode, total: input.amount * BigInt(input.count), count: input.count, at: now });
    const rows = await vouchers.insertBatch(trx, {
      batchId, ids, hashes, secretId, currency: input.currency, mode, amount: input.amount, expiresAt: input.expiresAt ?? null, createdAt: now, issueTransferId: transfer.id,
    });
    const result = { batchId, vouchers: rows.map((voucher, i) => ({ voucher, code: codes[i]! })) };
    await note?.(trx, result);
    return result;
  });
}
