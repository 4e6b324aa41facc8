import { AppError } from '../../domain/errors.js';
import { checkLogo, dataUrlBytes } from '../../domain/brand.js';
import type { BrandChange } from '../../store/shops.js';
import type { BrandInput } from '../../schemas/brand.js';

/** docs/merchant-guide.md#brand: a brand as posted → what to store; a logo that is not a PNG or SVG of ≤ 100 KB is refused whole (422). */
export function brandChangeOf(input: BrandInput | undefined, logoBytes?: Buffer): BrandChange {
  if (!input && !logoBytes) return {};
  const change: BrandChange = { color: input?.color, supportEmail: input?.support_email, supportPhone: input?.support_phone, termsUrl: input?.terms_url };
  if (input?.logo === null) change.logo = null;
  const bytes = logoBytes ?? (input?.logo ? dataUrlBytes(input.logo) : undefined);
  if (input?.logo && !bytes) throw logoRefused('the logo is not a data URL');
  if (bytes) {
    const checked = checkLogo(bytes);
    if (!checked.ok) throw logoRefused(checked.refused);
    change.logo = { type: checked.type, hash: checked.hash, bytes: checked.bytes };
  }
  return change;
}

function logoRefused(reason: string) {
  return new AppError('logo_invalid', `${reason}: send a PNG or SVG of at most 100 KB`, { errors: [{ field: 'brand.logo', message: reason }] });
}
