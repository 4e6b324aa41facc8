import type { AppMiddleware } from './context.js';

type Made = { object?: unknown; id?: unknown; payment_id?: unknown; merchant_id?: unknown; purse?: unknown };

// where each kind of object is read back; a refund or key, which has no page of its own, is read in its list
const PLACES: Record<string, (prefix: string, m: Made) => string> = {
  payment: (p, m) => `${p}/payments/${m.id}`,
  refund: (p, m) => `${p}/payments/${m.payment_id}/refunds`,
  payout: (p, m) => `${p}/payouts/${m.id}`,
  shop: (p, m) => `${p}/shops/${m.id}`,
  api_key: (p) => `${p}/api_keys`,
  merchant: (p, m) => `${p}/merchants/${m.id}`,
  wallet: (p, m) => `${p}/wallets/${m.purse}`,
  user: (p, m) => `${p}/users?merchant_id=${m.merchant_id}`,
  operator: (p) => `${p}/operators`,
};

/**
 * docs/merchant-guide.md#conventions: a 201 says where what it made is read, in `Location`. It is derived from the answer, so
 * an idempotent replay of the 201 carries it too.
 */
export function createdLocation(prefix: string): AppMiddleware {
  return async (ctx, next) => {
    await next();
    if (ctx.status !== 201 || ctx.response.get('Location')) return;
    const made = (ctx.body ?? {}) as Made;
    // objects without an `object` field are named by the collection they were posted to
    const kind = typeof made.object === 'string' ? made.object : { merchants: 'merchant', wallets: 'wallet' }[ctx.path.split('/').pop() ?? ''];
    const place = kind ? PLACES[kind] : undefined;
    if (place && (typeof made.id === 'string' || typeof made.purse === 'string')) ctx.set('Location', place(prefix, made));
    else if (typeof (made as { batch_id?: unknown }).batch_id === 'string') ctx.set('Location', `${prefix}/vouchers?batch_id=${(made as { batch_id: string }).batch_id}`);
    // anything else made is read where it was posted
    else ctx.set('Location', ctx.path);
  };
}
