import type { Deps } from '../shared/deps.js';
import type { Mode } from '../../domain/ledger.js';
import { inTransaction, type Knex } from '../../postgres/db.js';
import * as wallets from '../../store/wallets.js';
import * as payouts from '../../store/payouts.js';
import * as balanceTransactions from '../../store/balance-transactions.js';
import { sendPayout } from '../../ledger/payouts.js';
import { choosePayoutTransactions } from '../../domain/balance.js';
import { AppError } from '../../domain/errors.js';
import { newId, type MerchantId } from '../../domain/ids.js';
import type { Minor } from '../../domain/money.js';
import { assertMerchantActs } from '../merchants/merchant-acts.js';
import type { Payout } from '../../domain/payout.js';
import type { Wallet } from '../../domain/wallet.js';
import type { ActionNote } from '../shared/action-note.js';

export type PayoutRequest =
  | { trigger: 'request'; purse: string; merchantId: MerchantId; createKey?: string | null; mode?: Mode }
  | { trigger: 'schedule'; purse: string; period: string; minimum: Minor };

/** Why a scheduled run left a wallet alone this time (a request is refused with an error instead). */
export type Skipped = { skipped: 'busy' | 'already_paid' | 'below_minimum' | 'nothing_payable' };

/**
 * One payout of one wallet, in one short transaction (docs/merchant-guide.md#balance-payouts-and-statements). Under the wallet's lock, which every
 * movement of it takes too, it reads the available transactions no payout has settled, takes those
 * the wallet can spare, moves their sum merchant → clearing and marks each with the payout's id:
 * a transaction is settled once, and money a refund needs stays. A scheduled run skips a wallet
 * another transaction holds (the next run takes it) instead of stalling payments behind it.
 */
export async function createPayout(deps: Pick<Deps, 'db' | 'clock'>, req: PayoutRequest, note?: ActionNote<Payout>): Promise<Payout | Skipped> {
  return inTransaction(deps.db, async (trx) => {
    const wallet = await lockPayee(trx, req);
    if (!wallet) return { skipped: 'busy' as const };
    if (req.trigger === 'request') await assertMerchantActs(trx, req.merchantId);
    // a request retried after its answer was lost gets the payout it made, not one of what became payable since
    const earlier = req.trigger === 'request' && req.createKey ? await payouts.findPayoutByKey(trx, wallet.purse, req.createKey) : undefined;
    if (earlier) return earlier;
    const now = deps.clock.now();
    const candidates = await balanceTransactions.listPayable(trx, wallet.purse, now);
    const { chosen, amount } = choosePayoutTransactions(candidates, wallet.balance - wallet.held);
    if (amount <= 0n) {
      if (req.trigger === 'request') throw new AppError('nothing_payable', `Nothing in ${wallet.purse} is available to pay out yet`);
      return { skipped: 'nothing_payable' as const };
    }
    if (req.trigger === 'schedule' && amount < req.minimum) return { skipped: 'below_minimum' as const };
    const payout = await payouts.insertPayout(trx, {
      id: newId('po'), purse: wallet.purse, amount, trigger: req.trigger, period: req.trigger === 'schedule' ? req.period : null,
      createKey: req.trigger === 'request' ? req.createKey ?? null : null, createdAt: now,
    });
    if (!payout) return { skipped: 'already_paid' as const };
    const settled = await balanceTransactions.settle(trx, chosen, payout.id);
    if (settled !== chosen.length) throw new Error(`payout ${payout.id} settled ${settled} of ${chosen.length} transactions`);
    // the transfer last: it locks the clearing wallet every payout shares, so that lock is held the shortest time
    const { transfer } = await sendPayout(trx, { payoutId: payout.id, purse: wallet.purse, amount, currency: wallet.currency, mode: wallet.mode, at: now });
    await payouts.setPayoutTransfer(trx, payout.id, transfer.id);
    const made = { ...payout, transferId: transfer.id };
    await note?.(trx, made);
    return made;
  });
}

async function lockPayee(trx: Knex.Transaction, req: PayoutRequest): Promise<Wallet | undefined> {
  if (req.trigger === 'schedule') return wallets.lockWalletIfFree(trx, req.purse);
  const [wallet] = await wallets.lockWallets(trx, [req.purse]);
  // another merchant's wallet, or no merchant wallet at all, is simply not found
  // a test key pays out only test purses, a live key only live ones (docs/merchant-guide.md#test-mode)
  if (!wallet || wallet.kind !== 'merchant' || wallet.merchantId !== req.merchantId || (req.mode !== undefined && wallet.mode !== req.mode)) {
    throw new AppError('wallet_not_found', `Wallet ${req.purse} is not one of yours`);
  }
  return wallet;
}

export function isSkipped(outcome: Payout | Skipped): outcome is Skipped {
  return 'skipped' in outcome;
}
