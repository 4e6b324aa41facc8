import { randomDigits } from './ids.js';
import { purseLetter, type Currency } from './currency.js';
import type { Mode, WalletKind } from './ledger.js';
import type { Minor } from './money.js';

export const PURSE_PATTERN = /^[ZERU][0-9]{12}$/;

/** A purse whose 12 digits start so is one of the operator's accounts (issuance, fees, clearing); no holder's purse does. */
export const SYSTEM_PURSE_DIGITS = '000000000';

export function newPurse(currency: Currency): string {
  let digits: string;
  do digits = randomDigits(12);
  while (digits.startsWith(SYSTEM_PURSE_DIGITS));
  return `${purseLetter(currency)}${digits}`;
}

export function newHolderId(): string {
  let id: string;
  do id = randomDigits(12);
  while (id.startsWith('0'));
  return id;
}

/** The issuance account of a currency: the one account allowed below zero; its debt is all money in circulation. */
export function issuancePurse(currency: Currency, mode: Mode): string {
  return `${purseLetter(currency)}00000000000${mode === 'live' ? '1' : '2'}`;
}

export const SYSTEM_HOLDER_ID = '000000000000';

/**
 * The operator's fee wallet of a currency and mode (docs/merchant-guide.md#fees) is kept as this many ledger accounts.
 * Every fee-charging payment of a currency and mode credits the fee wallet; as one account its row
 * lock queued every confirm behind the one before it (issue 17: at peak, 13.8 of the service's 20
 * connections waited for it on average, each lock held through the rest of the confirm's round
 * trips). Over 32 accounts a payment rarely finds its account locked (bench:profile reports the waits).
 */
export const FEE_WALLET_SHARDS = 32;

/**
 * A ledger account of the operator's fee wallet, inside the reserved range: shard 0 is the fee
 * wallet's own purse (`Z000000000003` live, `…4` test), shard k is `Z000000000kk3` (`…kk4`).
 */
export function feePurse(currency: Currency, mode: Mode, shard = 0): string {
  if (!Number.isInteger(shard) || shard < 0 || shard >= FEE_WALLET_SHARDS) throw new RangeError(`fee wallet shard ${shard}`);
  return `${purseLetter(currency)}000000000${String(shard).padStart(2, '0')}${mode === 'live' ? '3' : '4'}`;
}

/** Which of the fee wallet's accounts takes a payment's fee: fixed by the payment, so a retried transfer posts the same legs. */
export function feeShardOf(paymentId: string): number {
  // FNV-1a: the ids are random, any stable spread will do
  let hash = 0x811c9dc5;
  for (let i = 0; i < paymentId.length; i++) hash = Math.imul(hash ^ paymentId.charCodeAt(i), 0x01000193) >>> 0;
  return hash % FEE_WALLET_SHARDS;
}

/** The payouts clearing wallet of a currency and mode (docs/merchant-guide.md#balance-payouts-and-statements): payouts on their way to a bank. */
export function clearingPurse(currency: Currency, mode: Mode): string {
  return `${purseLetter(currency)}00000000000${mode === 'live' ? '5' : '6'}`;
}

/** A wallet (lib/store/wallets.ts): its balance and what is held on it, in minor units. */
export type Wallet = {
  purse: string;
  holderId: string;
  currency: Currency;
  kind: WalletKind;
  mode: Mode;
  phone: string | null;
  merchantId: string | null;
  /** The shop a payee purse belongs to (one per currency and shop). */
  shopId: string | null;
  balance: Minor;
  held: Minor;
  /** `frozen`: its owner lost the phone; it pays nothing until the operator or a passkey unfreezes it (lib/domain/wallet-freeze.ts). */
  status: WalletStatus;
  createdAt: Date;
};

export type WalletStatus = 'active' | 'frozen';

/** A fee wallet of one currency and mode, its money summed over all its accounts. */
export type FeeWallet = { currency: Currency; mode: Mode; purse: string; balance: Minor };
