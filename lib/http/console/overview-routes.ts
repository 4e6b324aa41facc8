import type Router from '@koa/router';
import type { AppState } from '../shared/context.js';
import type { Deps } from '../../use-cases/shared/deps.js';
import { readOverview } from '../../use-cases/console/overview.js';
import { consoleCan } from '../../domain/console.js';
import { direction } from '../../i18n/index.js';
import { allow } from './guard.js';
import { lineChart } from './chart.js';
import type { ConsoleView } from './view.js';
import type { liveJournal } from '../office/live-journal.js';

/** docs/operator-guide.md#operator-console: the overview's figures, live, and the last 24 hours as inline SVG; a cashier's /console is the wallet desk. */
export function overviewRoutes(router: Router<AppState>, deps: Pick<Deps, 'db' | 'clock' | 'config'>, view: ConsoleView, live: ReturnType<typeof liveJournal>) {
  router.get('/', async (ctx) => {
    const state = ctx.state.console!;
    if (!consoleCan(state.session.user.role, 'read')) return ctx.redirect('/console/wallets');
    const o = await readOverview(deps);
    const t = state.t;
    const rtl = direction(state.lang) === 'rtl';
    const payments = lineChart(o.series.payments, t('console.overview.chart_payments'), undefined, rtl);
    const sms = lineChart(o.series.sms, t('console.overview.chart_sms', { budget: o.smsBudgetPerMinute }), o.smsBudgetPerMinute, rtl);
    view(ctx, './console-overview', {
      o, charts: { payments, sms }, flash: ctx.query.enrolled === '1' ? t('office.totp.enrolled') : undefined,
    });
  });
  router.get('/events', (ctx) => {
    allow(ctx, 'read');
    live.open(ctx);
  });
}
