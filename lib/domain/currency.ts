export const CURRENCIES = ['USD', 'EUR', 'RUB', 'UAH'] as const;
export type Currency = (typeof CURRENCIES)[number];

const LETTER: Record<Currency, string> = { USD: 'Z', EUR: 'E', RUB: 'R', UAH: 'U' };

export function purseLetter(currency: Currency): string {
  return LETTER[currency];
}

export function currencyOfPurse(purse: string): Currency | undefined {
  return CURRENCIES.find((c) => LETTER[c] === purse[0]);
}

export function isCurrency(value: unknown): value is Currency {
  return typeof value === 'string' && (CURRENCIES as readonly string[]).includes(value);
}
