import type { Deps } from '../shared/deps.js';
import { inTransaction } from '../../postgres/db.js';
import * as wallets from '../../store/wallets.js';
import * as ledger from '../../store/ledger.js';
import { addToCashierDay, lockCashierDay } from '../../store/cashier-totals.js';
import { insertAudit } from '../../store/audit-log.js';
import { AppError } from '../../domain/errors.js';
import { formatAmount, type Minor } from '../../domain/money.js';
import { transferKeys } from '../../domain/transfer-keys.js';
import type { Currency } from '../../domain/currency.js';
import type { Phone } from '../../domain/phone.js';
import type { UserId } from '../../domain/ids.js';
import { topUpWithin } from './top-up-wallet.js';

export type CashInInput = { cashierId: UserId; cashierEmail: string | null; phone: Phone; currency: Currency; amount: Minor; idempotencyKey: string; ip: string | null };
export type CashedIn = { purse: string; amount: Minor; currency: Currency; balance: Minor; transferId: bigint; replayed: boolean };

/**
 * A cashier takes cash at the desk and tops up the live wallet of a phone (docs/operator-guide.md#vouchers-and-cash-in): the
 * top-up of the operator, keyed by cashier and Idempotency-Key, audited, and refused with 403
 * `cashier_limit` past CASHIER_TOPUP_PER_DAY for this cashier, currency and UTC day. The day's total
 * row is locked first, so two cash-ins at once cannot both pass the limit.
 */
export async function cashIn(deps: Pick<Deps, 'db' | 'clock' | 'config'>, input: CashInInput): Promise<CashedIn> {
  const limit = deps.config.cashierLimit;
  return inTransaction(deps.db, async (trx) => {
    const at = deps.clock.now();
    const wallet = await wallets.findWalletByPhone(trx, input.phone, input.currency, 'live');
    if (!wallet) throw new AppError('no_wallet', `No ${input.currency} wallet is linked to this phone`);
    const key = transferKeys.cashIn(wallet.purse, input.cashierId, input.idempotencyKey);
    const day = { cashierId: input.cashierId, currency: input.currency, day: at.toISOString().slice(0, 10) };
    const soFar = await lockCashierDay(trx, day);
    // a retry (same key) finds its transfer and neither counts nor audits again
    const earlier = await ledger.findTransferByKey(trx, key);
    if (!earlier) {
      if (soFar + input.amount > limit) {
        throw new AppError('cashier_limit', `This cash-in would pass your daily limit of ${formatAmount(limit)} ${input.currency} (${formatAmount(limit - soFar)} left today)`);
      }
      await addToCashierDay(trx, day, input.amount);
    }
    const result = await topUpWithin(trx, at, { purse: wallet.purse, amount: input.amount, key, idempotencyKey: input.idempotencyKey });
    if (!result.replayed) {
      await insertAudit(trx, {
        audience: 'console', merchantId: null, userId: input.cashierId, email: input.cashierEmail, action: 'wallet.cash_in', target: wallet.purse, ip: input.ip, at,
        details: { amount: formatAmount(input.amount), currency: input.currency, transfer_id: String(result.transferId) },
      });
    }
    return { purse: wallet.purse, amount: input.amount, currency: input.currency, balance: result.wallet.balance, transferId: result.transferId, replayed: result.replayed };
  });
}
