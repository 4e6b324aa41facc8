export const CURRENCIES = ['USD', 'EUR', 'RUB', 'UAH'] as const;
export type Currency = (typeof CURRENCIES)[number];

const LETTER: Record<Currency, string> = { USD: 'Z', EUR: 'E', RUB: 'R', UAH: 'U' };

export function purseLetter(currency: Currency): string {
  return LETTER[currency];
}

