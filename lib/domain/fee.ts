import type { Minor } from './money.js';

/** A fee rule (spec §10): percent in basis points (3.00 % = 300), a fixed part, and what a refund does with the fee. */
export type FeeRule = { percentBp: number; fixed: Minor; refund: 'keep' | 'return' };

/** Half up to the minor unit, for non-negative quantities: `numerator / denominator`. */
function roundHalfUp(numerator: bigint, denominator: bigint): bigint {
  return (numerator * 2n + denominator) / (denominator * 2n);
}

/** fee = round half up(captured × percent / 100) + fixed, never more than the captured amount. */
export function feeOf(captured: Minor, rule: Pick<FeeRule, 'percentBp' | 'fixed'>): Minor {
  const fee = roundHalfUp(captured * BigInt(rule.percentBp), 10_000n) + rule.fixed;
  return fee > captured ? captured : fee;
}

/**
 * The part of the fee a refund gives back to the merchant: nothing under `keep`; under `return`,
 * computed over all refunds so far (spec §10) — fee returned in total = half up(fee × refunded in
 * total / captured), all that is left on the refund that completes the payment — so many small
 * refunds return exactly what one refund of their sum would, and never more than the fee charged.
 */
export function feeReturnOf(
  p: { fee: Minor; feeReturned: Minor; amountCaptured: Minor; amountRefunded: Minor; feeRefund: 'keep' | 'return' | null },
  refund: Minor,
): Minor {
  if (p.feeRefund !== 'return' || p.fee === 0n) return 0n;
  const left = p.fee - p.feeReturned;
  const refunded = p.amountRefunded + refund;
  if (refunded >= p.amountCaptured) return left;
  const due = roundHalfUp(p.fee * refunded, p.amountCaptured) - p.feeReturned;
  return due < 0n ? 0n : due > left ? left : due;
}

/** "3.00" → 300 basis points: up to two decimals, 0 to 100; anything else is undefined. */
export function parsePercent(text: string): number | undefined {
  const m = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(text);
  if (!m) return undefined;
  const bp = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return bp <= 10_000 ? bp : undefined;
}

export function formatPercent(bp: number): string {
  return `${Math.floor(bp / 100)}.${String(bp % 100).padStart(2, '0')}`;
}
