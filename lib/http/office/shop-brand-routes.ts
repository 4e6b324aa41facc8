import type Router from '@koa/router';
import type { AppContext, AppState } from '../shared/context.js';
import type { PayDeps } from '../../use-cases/shared/deps.js';
import { officeUpdateShop } from '../../use-cases/office/actions.js';
import { readShop } from '../../use-cases/shops/manage-shops.js';
import { parseInput } from '../../schemas/parse.js';
import { updateShopBody } from '../../schemas/admin.js';
import { isAppError } from '../../domain/errors.js';
import { shopIdOf } from '../shared/path-ids.js';
import { uploadedFile } from '../shared/multipart.js';
import { actorOnce, allow } from './guard.js';
import { field, formOf } from './form.js';
import type { OfficeView } from './view.js';

export const BRAND_PATH = /^\/office\/shops\/[^/]+\/brand$/;
const TEXT_FIELDS = ['color', 'support_email', 'support_phone', 'terms_url'] as const;

/**
 * docs/merchant-guide.md#brand from the office (owners): a multipart form, because a browser uploads a file without
 * JavaScript only that way; the fields go through the merchant API's schema and use-case, so the same checks hold.
 */
export function shopBrandRoutes(router: Router<AppState>, deps: PayDeps, view: OfficeView, extra: (deps: PayDeps) => Record<string, unknown>) {
  router.post('/shops/:id/brand', async (ctx: AppContext) => {
    const office = allow(ctx, 'manage_shops');
    const form = formOf(ctx);
    const posted = Object.fromEntries(TEXT_FIELDS.map((name) => [name, field(form, name, 2000).trim()]));
    const logo = uploadedFile(ctx, 'logo');
    const brand = { ...Object.fromEntries(TEXT_FIELDS.map((name) => [name, posted[name] || null])), ...(form.get('logo_remove') === 'on' && !logo ? { logo: null } : {}) };
    const at = `/office/shops/${shopIdOf(ctx)}?saved=1`;
    try {
      await officeUpdateShop(deps, actorOnce(ctx, at), shopIdOf(ctx), parseInput(updateShopBody, { brand }, 'form'), logo?.bytes);
      ctx.status = 303;
      return ctx.redirect(at);
    } catch (err) {
      if (!isAppError(err) || err.status >= 500 || err.code === 'merchant_suspended') throw err;
      const current = await readShop(deps, shopIdOf(ctx), office.actor.merchantId);
      view(ctx, './office-shop', { ...current, ...extra(deps), brandValues: posted, brandProblem: office.t('office.error.invalid', { detail: err.message }) }, err.status);
    }
  });
}
