import { AppError, invalidRequest } from './errors.js';

export type ShopMethod = 'code' | 'link' | 'manual_capture';

/**
 * Whether a shop takes this payment (docs/merchant-guide.md#shops-methods-and-keys): an active shop, offering the method asked for. A form
 * (which cannot choose) pays by code, authorizing only if the shop offers manual capture.
 */
export function checkShopTakes(
  shop: { status: 'active' | 'disabled'; methods: ShopMethod[] }, wants: { send: 'code' | 'link'; capture: 'automatic' | 'manual'; source: 'form' | 'api' },
): void {
  if (shop.status === 'disabled') {
    // docs/merchant-guide.md#shops-methods-and-keys: the API answers 409 shop_disabled; a form, a readable 400 page naming its purse field
    throw wants.source === 'form'
      ? invalidRequest('This shop does not accept payments now', [{ field: 'LMI_PAYEE_PURSE', message: 'this shop does not accept payments now' }])
      : new AppError('shop_disabled', 'This shop does not accept payments now');
  }
  for (const method of [wants.send, ...(wants.capture === 'manual' ? ['manual_capture' as const] : [])]) {
    if (!shop.methods.includes(method)) {
      throw new AppError('method_not_enabled', `This shop does not offer ${method === 'manual_capture' ? 'manual capture' : method === 'link' ? 'pay links' : 'payment by code'}`, { method });
    }
  }
}
