import { AppError } from './errors.js';
import type { Minor } from './money.js';
import type { Currency } from './currency.js';
import type { HoldId } from './ids.js';

export type Mode = 'live' | 'test';
export type WalletKind = 'customer' | 'merchant' | 'system' | 'fees' | 'clearing' | 'vouchers';

export type WalletBalance = {
  purse: string;
  currency: Currency;
  mode: Mode;
  kind: WalletKind;
  balance: Minor;
  held: Minor;
};

/** One leg of a transfer: a signed amount on one wallet (negative = debit). */
export type Leg = { purse: string; amount: Minor };

/** Part of a leg's debit that is paid out of a hold on the same wallet (capturing a reservation). */
export type PlannedPosting = { purse: string; amount: Minor; balanceAfter: Minor };

export type TransferPlan = {
  postings: PlannedPosting[];
  balances: Map<string, { balance: Minor; held: Minor }>;
};

/**
 * Checks a transfer against the locked wallets and computes every posting's balance after it.
 * Legs must sum to zero, share the wallets' currency and mode, and leave no customer or merchant
 * wallet below what it has on hold. `releaseHeld` lowers a wallet's held amount in the same step
 * (a capture spends money that was reserved for it).
 */
export function planTransfer(
  wallets: WalletBalance[],
  legs: Leg[],
  expected: { currency: Currency; mode: Mode },
  releaseHeld: Map<string, Minor> = new Map(),
): TransferPlan {
  if (legs.length < 2) throw new Error('a transfer needs at least two legs');
  const total = legs.reduce((sum, leg) => sum + leg.amount, 0n);
  if (total !== 0n) throw new Error(`transfer legs sum to ${total}, not zero`);
  if (legs.some((leg) => leg.amount === 0n)) throw new Error('a transfer leg cannot be zero');

  const byPurse = new Map(wallets.map((w) => [w.purse, w]));
  const balances = new Map<string, { balance: Minor; held: Minor }>();
  const postings: PlannedPosting[] = [];
  for (const leg of legs) {
    const wallet = byPurse.get(leg.purse);
    if (!wallet) throw new AppError('wallet_not_found', `Wallet ${leg.purse} does not exist`);
    if (wallet.currency !== expected.currency) {
      throw new AppError('currency_mismatch', `Wallet ${leg.purse} holds ${wallet.currency}, not ${expected.currency}`);
    }
    if (wallet.mode !== expected.mode) throw new AppError('mode_mismatch', `Wallet ${leg.purse} is a ${wallet.mode} wallet`);
    const current = balances.get(leg.purse) ?? { balance: wallet.balance, held: wallet.held - (releaseHeld.get(leg.purse) ?? 0n) };
    if (current.held < 0n) throw new Error(`releasing more than is held on ${leg.purse}`);
    const next = { balance: current.balance + leg.amount, held: current.held };
    if (wallet.kind !== 'system' && next.balance - next.held < 0n) {
      throw new AppError('insufficient_funds', 'The wallet does not hold enough money', { purse: leg.purse });
    }
    balances.set(leg.purse, next);
    postings.push({ purse: leg.purse, amount: leg.amount, balanceAfter: next.balance });
  }
  return { postings, balances };
}

/** Whether a hold of `amount` fits in what the wallet has available. */
export function canReserve(wallet: WalletBalance, amount: Minor): boolean {
  return wallet.kind === 'system' || wallet.balance - wallet.held >= amount;
}

export function available(wallet: Pick<WalletBalance, 'balance' | 'held'>): Minor {
  return wallet.balance - wallet.held;
}

export type HoldStatus = 'active' | 'captured' | 'released';

/** A hold on a wallet (lib/store/holds.ts). */
export type Hold = {
  id: HoldId;
  key: string;
  purse: string;
  amount: Minor;
  status: HoldStatus;
  capturedAmount: Minor | null;
  transferId: bigint | null;
  createdAt: Date;
  expiresAt: Date;
  settledAt: Date | null;
};

/** A keyed ledger transfer (lib/store/ledger.ts). */
export type Transfer = {
  id: bigint;
  key: string;
  kind: string;
  currency: Currency;
  mode: Mode;
  createdAt: Date;
  metadata: Record<string, unknown>;
};

/** One leg of a transfer, with the balance after it. */
export type Posting = { id: bigint; transferId: bigint; purse: string; amount: Minor; balanceAfter: Minor; createdAt: Date };
