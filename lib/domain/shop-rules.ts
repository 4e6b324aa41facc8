import { AppError } from './errors.js';

export type ShopMethod = 'code' | 'link' | 'manual_capture';

/**
 * Whether a shop takes this payment (spec §9): an active shop, offering the method asked for. A form
 * (which cannot choose) pays by code, authorizing only if the shop offers manual capture.
 */
export function checkShopTakes(shop: { status: 'active' | 'disabled'; methods: ShopMethod[] }, wants: { send: 'code' | 'link'; capture: 'automatic' | 'manual' }): void {
  if (shop.status === 'disabled') throw new AppError('shop_disabled', 'This shop does not accept payments now');
  for (const method of [wants.send, ...(wants.capture === 'manual' ? ['manual_capture' as const] : [])]) {
    if (!shop.methods.includes(method)) {
      throw new AppError('method_not_enabled', `This shop does not offer ${method === 'manual_capture' ? 'manual capture' : method === 'link' ? 'pay links' : 'payment by code'}`, { method });
    }
  }
}
