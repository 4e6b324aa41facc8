import type Router from '@koa/router';
import type { AppState } from '../shared/context.js';
import type { PayDeps } from '../../use-cases/shared/deps.js';
import { readShopLogo } from '../../use-cases/shops/read-shop-logo.js';
import { buttonColor, darkenedAgainst } from '../../domain/brand.js';
import type { ShopId } from '../../domain/ids.js';
import { AppError } from '../../domain/errors.js';

const FOR_EVER = 'public, max-age=31536000, immutable';
// --bg of assets/pay.css
const PAGE_BACKGROUND = '#f4f6f8';

/**
 * docs/security.md#brand-logos: a shop's logo from its own address, named by its hash (cacheable for ever). A sanitized SVG
 * is still served as if hostile: a CSP that runs and loads nothing, nosniff, no framing of it as a page of ours.
 */
export function brandRoutes(router: Router<AppState>, deps: PayDeps) {
  router.get('/brand/:shop/:file', async (ctx) => {
    const m = /^([0-9a-f]{32})\.(png|svg)$/.exec(ctx.params.file ?? '');
    const shopId = ctx.params.shop ?? '';
    const logo = m && /^shp_[0-9a-z]{24,}$/.test(shopId) ? await readShopLogo(deps, shopId as ShopId, m[1]!) : undefined;
    if (!m || !logo || (logo.type === 'image/png') !== (m[2] === 'png')) throw new AppError('not_found', 'No such logo');
    ctx.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox");
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Cache-Control', FOR_EVER);
    ctx.type = logo.type;
    ctx.body = logo.bytes;
  });
  // the shop's colour as a stylesheet: the pages' CSP allows no inline style, and the address carries the colour
  router.get('/brand/:color.css', (ctx) => {
    const hex = /^[0-9a-f]{6}$/.exec(ctx.params.color ?? '')?.[0];
    if (!hex) throw new AppError('not_found', 'No such colour');
    ctx.set('Cache-Control', FOR_EVER);
    ctx.type = 'text/css; charset=utf-8';
    // the language links sit on the page's grey, not on white: darkened against that
    ctx.body = `:root { --accent: ${buttonColor(`#${hex}`)}; }\n.languages a:not([aria-current]) { color: ${darkenedAgainst(`#${hex}`, PAGE_BACKGROUND)}; }\n`;
  });
}
