import type { AppContext } from './context.js';
import { merchantIdParam, shopIdParam } from '../../schemas/admin.js';
import { AppError } from '../../domain/errors.js';
import type { MerchantId, PaymentId, PayoutId, ShopId } from '../../domain/ids.js';
import { idParam } from '../../schemas/payments.js';
import { payoutIdParam } from '../../schemas/payouts.js';

/** Ids of the path, parsed at the edge; a malformed one is as unknown as a missing one. */
export function shopIdOf(ctx: AppContext): ShopId {
  const parsed = shopIdParam.safeParse(ctx.params.id);
  if (!parsed.success) throw new AppError('shop_not_found', `No shop ${String(ctx.params.id).slice(0, 40)}`);
  return parsed.data;
}

export function merchantIdOf(ctx: AppContext): MerchantId {
  const parsed = merchantIdParam.safeParse(ctx.params.id);
  if (!parsed.success) throw new AppError('merchant_not_found', `No merchant ${String(ctx.params.id).slice(0, 40)}`);
  return parsed.data;
}

export function payoutIdOf(ctx: AppContext): PayoutId {
  const parsed = payoutIdParam.safeParse(ctx.params.id);
  if (!parsed.success) throw new AppError('payout_not_found', `No payout ${String(ctx.params.id).slice(0, 40)}`);
  return parsed.data;
}

export function paymentIdOf(ctx: AppContext): PaymentId {
  const parsed = idParam.safeParse(ctx.params.id);
  if (!parsed.success) throw new AppError('payment_not_found', `No payment ${String(ctx.params.id).slice(0, 40)}`);
  return parsed.data;
}
