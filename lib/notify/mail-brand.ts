import type { Shop } from '../domain/shop.js';
import { buttonColor, logoPath } from '../domain/brand.js';
import { e164 } from '../domain/phone.js';

/** docs/merchant-guide.md#brand: what a mail shows of the shop (absolute addresses: a mail has no base URL). */
export type MailBrand = { logoUrl: string | null; buttonColor: string; supportEmail: string | null; supportPhone: string | null; termsUrl: string | null };

export function mailBrandOf(publicUrl: string, shop: Pick<Shop, 'id' | 'brand'>): MailBrand {
  const b = shop.brand;
  return {
    logoUrl: b.logo ? new URL(logoPath(shop.id, b.logo), publicUrl).toString() : null,
    buttonColor: buttonColor(b.color ?? '#0b57d0'),
    supportEmail: b.supportEmail, supportPhone: b.supportPhone ? e164(b.supportPhone) : null, termsUrl: b.termsUrl,
  };
}
