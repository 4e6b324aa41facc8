import type Router from '@koa/router';
import type { AppState } from '../shared/context.js';
import type { Deps } from '../../use-cases/shared/deps.js';
import { readOverview } from '../../use-cases/office/overview.js';
import { salesChart } from './chart.js';
import { allow } from './guard.js';
import type { OfficeView } from './view.js';

/** `/office` opens on the overview (docs/merchant-guide.md#back-office "Running the shop alone"); it is read again when a payment of the merchant changes. */
export function overviewRoutes(router: Router<AppState>, deps: Pick<Deps, 'db' | 'clock'>, view: OfficeView) {
  router.get('/', async (ctx) => {
    const office = allow(ctx, 'read');
    const overview = await readOverview(deps, office.actor.merchantId, office.mode);
    const rtl = office.lang === 'ar';
    view(ctx, './office-overview', {
      ...overview, charts: overview.currencies.map((c) => ({ currency: c.currency, days: c.days, ...salesChart(c.days, rtl) })),
      flash: ctx.query.enrolled ? office.t('office.totp.enrolled') : undefined,
    });
  });
}
