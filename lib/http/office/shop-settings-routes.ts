import type Router from '@koa/router';
import type { AppContext, AppState } from '../shared/context.js';
import type { PayDeps } from '../../use-cases/shared/deps.js';
import { officeUpdateShop } from '../../use-cases/office/actions.js';
import { readShop } from '../../use-cases/shops/manage-shops.js';
import { parseInput } from '../../schemas/parse.js';
import { updateShopBody } from '../../schemas/admin.js';
import { isAppError } from '../../domain/errors.js';
import { shopIdOf } from '../shared/path-ids.js';
import { actorOnce, allow } from './guard.js';
import { field, formOf } from './form.js';
import type { OfficeView } from './view.js';

export const URL_FIELDS = ['result_url', 'success_url', 'fail_url', 'webhook_url'] as const;
const FLAGS = ['prerequest', 'require_signed_forms', 'allow_form_urls'] as const;
const CHOICES = ['hash_method', 'success_method', 'fail_method', 'capture', 'lang'] as const;

/** The form's fields as the merchant API's PATCH /shops/{id} body: an empty URL clears it, an unticked box is false. */
function bodyOf(form: URLSearchParams) {
  const body: Record<string, unknown> = {};
  for (const name of URL_FIELDS) body[name] = field(form, name, 2000).trim() || null;
  body.allowed_hosts = field(form, 'allowed_hosts', 3000).split(/[\s,]+/).map((h) => h.trim()).filter(Boolean);
  for (const name of FLAGS) body[name] = form.get(name) === 'on';
  for (const name of CHOICES) body[name] = field(form, name, 20);
  return body;
}

/**
 * docs/merchant-guide.md#back-office "Running the shop alone": owners edit what the merchant API lets them change — the notification
 * URLs, registered hosts and the form's behaviour — through the same schema and use-case, so the same validation holds.
 */
export function shopSettingsRoutes(router: Router<AppState>, deps: PayDeps, view: OfficeView, extra: (deps: PayDeps) => Record<string, unknown>) {
  router.post('/shops/:id/settings', async (ctx: AppContext) => {
    const office = allow(ctx, 'manage_shops');
    const form = formOf(ctx);
    const posted = bodyOf(form);
    const at = `/office/shops/${shopIdOf(ctx)}?saved=1`;
    try {
      await officeUpdateShop(deps, actorOnce(ctx, at), shopIdOf(ctx), parseInput(updateShopBody, posted, 'form'));
      ctx.status = 303;
      return ctx.redirect(at);
    } catch (err) {
      if (!isAppError(err) || err.status >= 500 || err.code === 'merchant_suspended') throw err;
      const current = await readShop(deps, shopIdOf(ctx), office.actor.merchantId);
      view(ctx, './office-shop', { ...current, ...extra(deps), settingsValues: posted, problem: office.t('office.error.invalid', { detail: err.message }) }, err.status);
    }
  });
}
