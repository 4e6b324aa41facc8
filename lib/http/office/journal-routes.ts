import type Router from '@koa/router';
import { shownMode } from './test-mode.js';
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { AppContext, AppState } from '../shared/context.js';
import type { Deps } from '../../use-cases/shared/deps.js';
import { exportJournal, journalFieldNames, searchJournal } from '../../use-cases/office/journal.js';
import { listShops } from '../../use-cases/shops/manage-shops.js';
import { parseInput } from '../../schemas/parse.js';
import { journalQuery, type JournalQuery } from '../../schemas/office.js';
import { PAYMENT_STATUSES } from '../../domain/payment.js';
import { ownFieldCells, paymentCsvRow, PAYMENT_CSV_COLUMNS } from '../../presenters/payment-csv.js';
import { defuse } from '../shared/csv.js';
import { allow } from './guard.js';
import type { OfficeView } from './view.js';
import type { liveJournal } from './live-journal.js';

const filterOf = (q: JournalQuery, ctx: AppContext) => ({ shopId: q.shop_id, status: q.status, q: q.q, createdFrom: q.created_from, createdTo: q.created_to, mode: shownMode(ctx) });

/** The journal (docs/merchant-guide.md#back-office): filters, paging, the streamed CSV of every match, and the live event stream. */
export function journalRoutes(router: Router<AppState>, deps: Pick<Deps, 'db' | 'config'>, view: OfficeView, live: ReturnType<typeof liveJournal>) {
  const journal = async (ctx: AppContext) => {
    const office = allow(ctx, 'read');
    const q = parseInput(journalQuery, ctx.query, 'query');
    const merchantId = office.actor.merchantId;
    const [page, shops] = await Promise.all([searchJournal(deps, merchantId, { ...filterOf(q, ctx), limit: q.limit, cursor: q.cursor }), listShops(deps, merchantId)]);
    const params = new URLSearchParams(Object.entries(ctx.query).filter(([k, v]) => typeof v === 'string' && v !== '' && k !== 'cursor' && k !== 'lang' && k !== 'enrolled') as [string, string][]);
    view(ctx, './office-journal', {
      page, q, shops: shops.map((s) => s.shop), statuses: PAYMENT_STATUSES, params: params.toString(), live: !q.cursor,
      flash: q.enrolled ? office.t('office.totp.enrolled') : undefined,
    });
  };
  router.get('/payments', journal);

  router.get('/payments.csv', async (ctx) => {
    const office = allow(ctx, 'read');
    const q = parseInput(journalQuery, ctx.query, 'query');
    const names = await journalFieldNames(deps, office.actor.merchantId, filterOf(q, ctx));
    const rows = Readable.from(exportJournal(deps, office.actor.merchantId, filterOf(q, ctx)), { objectMode: true })
      .map((p) => [...paymentCsvRow(p), ...ownFieldCells(p, names)].map(defuse));
    ctx.type = 'text/csv; charset=utf-8';
    ctx.set('Content-Disposition', 'attachment; filename="payments.csv"');
    ctx.set('Cache-Control', 'no-store');
    ctx.body = rows.pipe(stringify({ header: true, columns: [...PAYMENT_CSV_COLUMNS, ...names.map(defuse)], record_delimiter: '\r\n' }));
  });

  router.get('/events', (ctx) => {
    allow(ctx, 'read');
    live.open(ctx);
  });
}
