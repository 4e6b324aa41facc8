import { createWallet } from '../../lib/use-cases/buyers/create-wallet.js';
import { topUpWallet } from '../../lib/use-cases/buyers/top-up-wallet.js';
import { parseAmount } from '../../lib/domain/money.js';
import { parsePhone, type Phone } from '../../lib/domain/phone.js';
import type { Currency } from '../../lib/domain/currency.js';
import type { Mode } from '../../lib/domain/ledger.js';
import type { Deps } from '../../lib/use-cases/shared/deps.js';
import type { Wallet } from '../../lib/domain/wallet.js';

export function minor(amount: string): bigint {
  const parsed = parseAmount(amount);
  if (!parsed.ok) throw new Error(`bad amount in test: ${amount}`);
  return parsed.minor;
}

export function phone(input: string): Phone {
  const parsed = parsePhone(input);
  if (!parsed.ok) throw new Error(`bad phone in test: ${input}`);
  return parsed.phone;
}

/** A balance as the API shows it ("0.00", "-3.10") in minor units. */
export function balanceMinor(shown: string): bigint {
  if (!/^-?\d+\.\d{2}$/.test(shown)) throw new Error(`not a balance: ${shown}`);
  return BigInt(shown.replace('.', ''));
}

let phoneCounter = 0;
/** A valid, distinct mobile number per call (Russian 903 range), so tests never share limits by accident. */
export function uniquePhone(): Phone {
  phoneCounter += 1;
  return phone(`+7903${String(Date.now() % 1000).padStart(3, '0')}${String(phoneCounter).padStart(4, '0')}`);
}

export async function fundedWallet(
  deps: Pick<Deps, 'db' | 'clock'>,
  opts: { balance?: string; currency?: Currency; mode?: Mode; phone?: Phone } = {},
): Promise<Wallet> {
  const wallet = await createWallet(deps, { currency: opts.currency ?? 'USD', mode: opts.mode ?? 'live', phone: opts.phone });
  if (!opts.balance || opts.balance === '0') return wallet;
  return (await topUpWallet(deps, { purse: wallet.purse, amount: minor(opts.balance) })).wallet;
}
