import { randomDigits } from './ids.js';
import { purseLetter, type Currency } from './currency.js';
import type { Mode } from './ledger.js';

export const PURSE_PATTERN = /^[ZERU][0-9]{12}$/;

export function newPurse(currency: Currency): string {
  // 000000000xxx is reserved for system accounts
  let digits: string;
  do digits = randomDigits(12);
  while (digits.startsWith('000000000'));
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

/** The operator's fee wallet of a currency and mode (spec §10): where fees collect. */
export function feePurse(currency: Currency, mode: Mode): string {
  return `${purseLetter(currency)}00000000000${mode === 'live' ? '3' : '4'}`;
}

/** The payouts clearing wallet of a currency and mode (spec §11): payouts on their way to a bank. */
export function clearingPurse(currency: Currency, mode: Mode): string {
  return `${purseLetter(currency)}00000000000${mode === 'live' ? '5' : '6'}`;
}
