/** Money is an integer count of minor units (cents, kopecks) as a bigint; strings only at the edges. */
export type Minor = bigint;

export const MAX_AMOUNT_MINOR = 10n ** 12n * 100n; // 10^12 in major units

export type AmountParse = { ok: true; minor: Minor } | { ok: false; reason: string };

/** Digits without leading zeros, an optional dot and one or two decimals (the OpenAPI `pattern` of amounts too). */
export const AMOUNT = /^(0|[1-9][0-9]{0,12})(?:\.([0-9]{1,2}))?$/;

/** What formatAmount writes: a sign for issuance accounts, always two decimals (the OpenAPI `pattern` of amounts shown). */
export const FORMATTED_AMOUNT = /^-?\d+\.\d{2}$/;

/**
 * Strict decimal input where zero makes sense (a fixed fee, a payout minimum): digits, an optional
 * dot with one or two decimals. No sign, exponent, comma, spaces, leading zeros or numbers-as-floats.
 */
export function parseAmountOrZero(input: unknown): AmountParse {
  if (typeof input !== 'string') {
    return { ok: false, reason: 'amount must be a decimal string such as "12.08"' };
  }
  const match = AMOUNT.exec(input);
  if (!match) return { ok: false, reason: 'amount must look like 12, 12.5 or 12.08 (dot, at most two decimals)' };
  return { ok: true, minor: BigInt(match[1]!) * 100n + BigInt((match[2] ?? '').padEnd(2, '0')) };
}

/** An amount to pay or refund: as parseAmountOrZero, above zero and at most 10^12. */
export function parseAmount(input: unknown): AmountParse {
  const parsed = parseAmountOrZero(input);
  if (!parsed.ok) return parsed;
  if (parsed.minor <= 0n) return { ok: false, reason: 'amount must be greater than zero' };
  if (parsed.minor > MAX_AMOUNT_MINOR) return { ok: false, reason: 'amount must be at most 1000000000000' };
  return parsed;
}

/** `1208n` → `"12.08"`; negative balances (issuance accounts) keep their sign. */
export function formatAmount(minor: Minor): string {
  const sign = minor < 0n ? '-' : '';
  const abs = minor < 0n ? -minor : minor;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

/** Amount and currency as one left-to-right run (Unicode isolates), so "12.08 USD" stays in order inside Arabic text. */
export function isolatedMoney(minor: Minor, currency: string): { amount: string; currency: string } {
  return { amount: `\u2066${formatAmount(minor)}`, currency: `${currency}\u2069` };
}

/** isolatedMoney as one string, for pages that show it whole. */
export function isolatedMoneyText(minor: Minor, currency: string): string {
  const m = isolatedMoney(minor, currency);
  return `${m.amount} ${m.currency}`;
}
