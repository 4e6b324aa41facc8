import type { Minor } from './money.js';

export const FEE_REFUNDS = ['keep', 'return'] as const;
/** What a refund does with the fee: the operator keeps it, or returns the refund's share to the merchant. */
export type FeeRefund = (typeof FEE_REFUNDS)[number];
/** Unless the operator says otherwise, a refund leaves the fee with the operator (docs/merchant-guide.md#fees). */
export const DEFAULT_FEE_REFUND: FeeRefund = 'keep';

/** A fee rule (docs/merchant-guide.md#fees): percent in basis points (3.00 % = 300), a fixed part, and what a refund does with the fee. */
export type FeeRule = { percentBp: number; fixed: Minor; refund: FeeRefund };

/** A shop's own fee, field by field; a null field follows the operator's default. */
export type ShopFee = { feePercentBp: number | null; feeFixed: Minor | null; feeRefund: FeeRefund | null };

/** The fee rule of a shop: its own, field by field, else the operator's default (parsed once, in config.ts). */
export function feeRuleOf(shop: ShopFee, operatorDefault: FeeRule): FeeRule {
  return {
    percentBp: shop.feePercentBp ?? operatorDefault.percentBp,
    fixed: shop.feeFixed ?? operatorDefault.fixed,
    refund: shop.feeRefund ?? operatorDefault.refund,
  };
}

/** The fee of an amount reaching the merchant now, with the refund policy to keep on the payment. */
export function chargeFor(shop: ShopFee, operatorDefault: FeeRule, captured: Minor): { fee: Minor; feeRefund: FeeRefund } {
  const rule = feeRuleOf(shop, operatorDefault);
  return { fee: feeOf(captured, rule), feeRefund: rule.refund };
}

/** The fee the operator keeps of a payment: the fee charged less what refunds returned. */
export function feeKeptOf(p: { fee: Minor; feeReturned: Minor }): Minor {
  return p.fee - p.feeReturned;
}

/** What reached the merchant: the captured amount less the fee kept. */
export function netOf(p: { amountCaptured: Minor; fee: Minor; feeReturned: Minor }): Minor {
  return p.amountCaptured - feeKeptOf(p);
}

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
 * computed over all refunds so far (docs/merchant-guide.md#fees) — fee returned in total = half up(fee × refunded in
 * total / captured), all that is left on the refund that completes the payment — so many small
 * refunds return exactly what one refund of their sum would, and never more than the fee charged.
 */
export function feeReturnOf(
  p: { fee: Minor; feeReturned: Minor; amountCaptured: Minor; amountRefunded: Minor; feeRefund: FeeRefund | null },
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
/** A fee percent as written: 0 to 100 with at most two decimals, no leading zeros; one pattern for the parser and the OpenAPI documents. */
export const PERCENT = /^(?:100(?:\.0{1,2})?|[1-9]?\d(?:\.\d{1,2})?)$/;

export function parsePercent(text: string): number | undefined {
  if (!PERCENT.test(text)) return undefined;
  const m = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(text);
  if (!m) return undefined;
  const bp = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return bp <= 10_000 ? bp : undefined;
}

export function formatPercent(bp: number): string {
  return `${Math.floor(bp / 100)}.${String(bp % 100).padStart(2, '0')}`;
}
