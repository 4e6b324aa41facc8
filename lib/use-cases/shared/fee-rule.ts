import type { Config } from '../../config.js';
import type { ShopRow } from '../../store/shops.js';
import { feeOf, parsePercent, type FeeRule } from '../../domain/fee.js';
import { parseAmount } from '../../domain/money.js';

/** The fee rule of a shop: its own, field by field, else the operator's default (DEFAULT_FEE_PERCENT, DEFAULT_FEE_FIXED, keep). */
export function feeRuleOf(shop: Pick<ShopRow, 'feePercentBp' | 'feeFixed' | 'feeRefund'>, config: Pick<Config, 'defaultFeePercent' | 'defaultFeeFixed'>): FeeRule {
  const fixed = parseAmount(config.defaultFeeFixed);
  return {
    percentBp: shop.feePercentBp ?? parsePercent(config.defaultFeePercent) ?? 0,
    fixed: shop.feeFixed ?? (fixed.ok ? fixed.minor : 0n),
    refund: shop.feeRefund ?? 'keep',
  };
}

/** The fee of an amount reaching the merchant now, with the refund policy to keep on the payment. */
export function chargeFor(shop: Pick<ShopRow, 'feePercentBp' | 'feeFixed' | 'feeRefund'>, config: Pick<Config, 'defaultFeePercent' | 'defaultFeeFixed'>, captured: bigint) {
  const rule = feeRuleOf(shop, config);
  return { fee: feeOf(captured, rule), feeRefund: rule.refund };
}
