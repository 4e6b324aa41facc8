import type { Deps } from '../shared/deps.js';
import { inTransaction } from '../../postgres/db.js';
import { topUpWithin, type TopUpResult } from '../buyers/top-up-wallet.js';
import { cashIn, type CashedIn } from '../buyers/cash-in.js';
import { consoleNote, consoleOnceKey as onceKey, type ConsoleActor } from './actor.js';
import { transferKeys } from '../../domain/transfer-keys.js';
import { formatAmount, type Minor } from '../../domain/money.js';
import { newId } from '../../domain/ids.js';
import { spendActionToken } from '../shared/action-tokens.js';
import type { Currency } from '../../domain/currency.js';
import { AppError } from '../../domain/errors.js';
import { findWallet } from '../../store/wallets.js';
import type { Phone } from '../../domain/phone.js';

/** What the slip of a top-up shows (docs/operator-guide.md#operator-console). */
export type ToppedUp = { purse: string; amount: Minor; currency: Currency; balance: Minor; transferId: bigint; replayed: boolean };

/** The operator's top-up from the console (finance, admin): the top-up of the admin API, audited, keyed by the form's one-time token. */
export async function consoleTopUp(deps: Pick<Deps, 'db' | 'clock'>, actor: ConsoleActor, input: { purse: string; amount: Minor }): Promise<ToppedUp> {
  const key = transferKeys.topUp(input.purse, onceKey(actor) ?? newId('key'));
  const note = consoleNote<TopUpResult>(deps, actor, 'wallet.topup', { target: input.purse },
    (r) => ({ amount: formatAmount(input.amount), currency: r.wallet.currency, transfer_id: String(r.transferId) }));
  return inTransaction(deps.db, async (trx) => {
    const result = await topUpWithin(trx, deps.clock.now(), { purse: input.purse, amount: input.amount, key, idempotencyKey: onceKey(actor) });
    if (!result.replayed) await note(trx, result);
    return { purse: input.purse, amount: input.amount, currency: result.wallet.currency, balance: result.wallet.balance, transferId: result.transferId, replayed: result.replayed };
  });
}

/**
 * A cashier's cash-in from the desk into a phone's live wallet: the vouchers' cashIn (its daily limit, its audit entry naming
 * the cashier) inside one transaction with the spend of the form's token, so a twin post of the form acts once.
 */
export async function consoleCashIn(deps: Pick<Deps, 'db' | 'clock' | 'config'>, actor: ConsoleActor, input: { purse: string; amount: Minor }): Promise<CashedIn> {
  const idempotencyKey = onceKey(actor) ?? newId('key');
  return inTransaction(deps.db, async (trx) => {
    const wallet = await findWallet(trx, input.purse);
    // the desk serves phones' live wallets only: a merchant's or a test wallet is no buyer's cash
    if (!wallet?.phone || wallet.kind !== 'customer' || wallet.mode !== 'live') throw new AppError('wallet_not_found', `Wallet ${input.purse} is no phone's live wallet`);
    // cashIn's own transaction becomes a savepoint of this one: the cash-in, its count and the token commit together
    const result = await cashIn({ ...deps, db: trx }, {
      cashierId: actor.userId, cashierEmail: actor.email, ip: actor.ip, idempotencyKey, phone: wallet.phone as Phone, currency: wallet.currency, amount: input.amount,
    });
    // a twin that found the first's transfer fails here (the token is spent), and is sent to the first's slip
    if (actor.once) await spendActionToken(deps, trx, actor.once, result);
    return result;
  });
}
