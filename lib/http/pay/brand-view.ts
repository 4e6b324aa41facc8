import type { Config } from '../../config.js';
import type { Translate } from '../../i18n/index.js';
import type { Shop } from '../../domain/shop.js';
import { logoPath } from '../../domain/brand.js';
import { e164 } from '../../domain/phone.js';

const MARK = '\u0000';

/** Example phones inside a translated sentence, isolated left to right (U+2066…U+2069), so Arabic shows "+971 50…" and not "…50 971+". */
export function isolatePhones(text: string): string {
  return text.replace(/\+\d[\d\s-]{4,}\d/g, (phone) => `\u2066${phone}\u2069`);
}

/** A translated sentence cut around one placeholder, so the template can put a link there. */
function around(t: Translate, key: Parameters<Translate>[0], values: Record<string, string>, slot: string): [string, string] {
  const [before = '', after = ''] = t(key, { ...values, [slot]: MARK }).split(MARK);
  return [before, after];
}

/**
 * docs/merchant-guide.md#brand: the shop's logo, colour, support contact and terms, and who runs the page, for the hosted
 * pages and the receipt (views/brand-header.eta, views/brand-footer.eta). The colour comes as a stylesheet (the CSP allows no inline style).
 */
export function brandView(config: Pick<Config, 'operatorName' | 'operatorUrl'>, t: Translate, shop: Pick<Shop, 'id' | 'name' | 'brand'>, opts: { cancelNote?: boolean } = {}) {
  const b = shop.brand;
  return {
    t,
    shopName: shop.name,
    logo: b.logo ? logoPath(shop.id, b.logo) : null,
    styles: b.color ? [`/brand/${b.color.slice(1)}.css`] : [],
    supportEmail: b.supportEmail,
    supportPhone: b.supportPhone ? e164(b.supportPhone) : null,
    termsUrl: b.termsUrl,
    operator: { name: config.operatorName, url: config.operatorUrl },
    receiver: around(t, 'brand.trust.receiver', { merchant: shop.name }, 'operator'),
    cancelNote: opts.cancelNote ?? false,
  };
}

export type BrandView = ReturnType<typeof brandView>;
