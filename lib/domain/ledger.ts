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
