import type Router from '@koa/router';
import type { AppContext, AppState } from '../shared/context.js';
import type { PayDeps } from '../../use-cases/shared/deps.js';
import { walletsOfPhone } from '../../use-cases/buyers/wallets-of-phone.js';
import { consoleWalletsOfPhone, type HistoryPage, type WalletHistory } from '../../use-cases/console/wallet-history.js';
import { freezeWallets, unfreezeWallets } from '../../use-cases/buyers/freeze-wallet.js';
import { consoleCashIn, consoleTopUp } from '../../use-cases/console/top-up.js';
import { readTopUpSlip } from '../../use-cases/console/read-slip.js';
import { parseInput } from '../../schemas/parse.js';
import { purseParam } from '../../schemas/common.js';
import { topUpForm } from '../../schemas/console-money.js';
import { consoleCan } from '../../domain/console.js';
import { AppError, isAppError } from '../../domain/errors.js';
import { maskPhone, parsePhone, type Phone } from '../../domain/phone.js';
import { formOf } from '../shared/form.js';
import { actorOnce, allow, shownBesideForm } from './guard.js';
import type { ConsoleView } from './view.js';
import type { ConsoleState } from './state.js';

type Extra = { problem?: string; flash?: string };

/** The desk's reader: whoever reads everything, or the cashier (who finds a wallet by its exact phone and nothing else). */
function deskOf(ctx: AppContext): ConsoleState {
  const state = ctx.state.console;
  if (state && consoleCan(state.session.user.role, 'cash_in')) return state;
  return allow(ctx, 'read');
}

/** A phone typed as on the hosted page (any notation with its country code): the exact number, never a part of one. */
function phoneOf(value: unknown): Phone | undefined {
  const parsed = parsePhone(value);
  return parsed.ok ? parsed.phone : undefined;
}

/** `purse` with `before` or `after` (a posting id) pages one wallet's history; 'bad' when they do not make a page. */
function historyPageOf(q: Record<string, unknown>): HistoryPage | 'bad' | undefined {
  const { purse, before, after } = q;
  if (purse === undefined && before === undefined && after === undefined) return undefined;
  const id = (v: unknown) => (typeof v === 'string' && /^\d{1,18}$/.test(v) ? BigInt(v) : undefined);
  if (typeof purse !== 'string' || (before !== undefined && after !== undefined)) return 'bad';
  if ((before !== undefined && id(before) === undefined) || (after !== undefined && id(after) === undefined)) return 'bad';
  return { purse: purse.slice(0, 20), before: id(before), after: id(after) };
}

/** The links of a wallet's history pages: they keep the phone as typed and land on the wallet. */
function pageLinks(typed: string, w: WalletHistory) {
  const href = (from?: Record<string, string>) => `/console/wallets?${new URLSearchParams({ phone: typed, ...(from && { purse: w.wallet.purse, ...from }) })}#purse-${w.wallet.purse}`;
  return {
    newest: w.paged ? href() : undefined,
    newer: w.newer !== undefined ? href({ after: String(w.newer) }) : undefined,
    older: w.older !== undefined ? href({ before: String(w.older) }) : undefined,
  };
}

function walletsPage(deps: PayDeps, view: ConsoleView) {
  return async (ctx: AppContext, typed: string, extra: Extra = {}, status = 200, q: Record<string, unknown> = {}) => {
    const state = deskOf(ctx);
    const reads = consoleCan(state.session.user.role, 'read');
    const phone = typed ? phoneOf(typed) : undefined;
    // the cashier's desk: a phone's live wallets, without their history (nor its pages)
    const asked = reads && phone ? historyPageOf(q) : undefined;
    const read = phone && reads ? await consoleWalletsOfPhone(deps, phone, asked === 'bad' ? undefined : asked) : undefined;
    const found = read ? read.found.map((w) => ({ ...w, links: pageLinks(typed, w) }))
      : phone ? (await walletsOfPhone(deps, phone, false)).filter((w) => w.wallet.mode === 'live') : [];
    const problem = typed && !phone ? state.t('console.wallets.bad_phone')
      : asked === 'bad' ? state.t('console.wallets.bad_page') : read && !read.pagedFound ? state.t('console.wallets.bad_purse') : undefined;
    view(ctx, './console-wallets', {
      typed, phone, found, reads, problem, ...extra, masked: phone ? maskPhone(phone) : '', cashierLimit: deps.config.cashierTopupPerDay,
      topUpAs: consoleCan(state.session.user.role, 'topup') ? 'topup' : consoleCan(state.session.user.role, 'cash_in') ? 'cash_in' : undefined,
    }, problem ? 400 : status);
  };
}

function flashOf(ctx: AppContext): string | undefined {
  const t = ctx.state.console?.t;
  return t && (ctx.query.done === 'freeze' || ctx.query.done === 'unfreeze') ? t(`console.wallets.done.${ctx.query.done}`) : undefined;
}

/** docs/operator-guide.md#operator-console: wallets by exact phone, the top-up (finance, admin) or cash-in (cashier), freeze and unfreeze, the slip. */
export function walletRoutes(router: Router<AppState>, deps: PayDeps, view: ConsoleView) {
  const page = walletsPage(deps, view);
  const typedOf = (v: unknown) => (typeof v === 'string' ? v.trim().slice(0, 40) : '');
  router.get('/wallets', (ctx) => page(ctx, typedOf(ctx.query.phone), { flash: flashOf(ctx) }, 200, ctx.query));

  router.post('/wallets/:purse/topup', async (ctx) => {
    const state = deskOf(ctx);
    const role = state.session.user.role;
    if (!consoleCan(role, 'topup') && !consoleCan(role, 'cash_in')) throw new AppError('forbidden', state.t('console.error.forbidden'));
    const purse = parseInput(purseParam, ctx.params.purse, 'purse');
    const form = formOf(ctx);
    const typed = typedOf(form.get('phone'));
    const amount = form.get('amount') ?? '';
    if (form.get('confirmed') !== '1') {
      return view(ctx, './office-confirm', {
        question: state.t('console.wallets.confirm_topup', { amount, purse }), action: ctx.path, fields: [['amount', amount], ['phone', typed]],
        back: `/console/wallets?${new URLSearchParams({ phone: typed })}`,
      });
    }
    const outcome = (r: { transferId: bigint }) => `/console/wallets/slips/${r.transferId}`;
    try {
      const { amount: minor } = parseInput(topUpForm, { amount }, 'form');
      const actor = actorOnce(ctx, outcome);
      const done = consoleCan(role, 'topup') ? await consoleTopUp(deps, actor, { purse, amount: minor }) : await consoleCashIn(deps, actor, { purse, amount: minor });
      ctx.status = 303;
      ctx.redirect(outcome(done));
    } catch (err) {
      if (!shownBesideForm(err) && !(isAppError(err) && err.code === 'cashier_limit')) throw err;
      const problem = err.code === 'cashier_limit' ? state.t('console.wallets.cashier_limit', { limit: deps.config.cashierTopupPerDay }) : state.t('office.error.invalid', { detail: err.message });
      await page(ctx, typed, { problem }, err.status);
    }
  });
  freezeRoutes(router, deps, view);
  slipRoute(router, deps, view);
}

function freezeRoutes(router: Router<AppState>, deps: PayDeps, view: ConsoleView) {
  for (const name of ['freeze', 'unfreeze'] as const) {
    router.post(`/wallets/${name}`, async (ctx) => {
      const state = allow(ctx, 'freeze');
      const typed = (formOf(ctx).get('phone') ?? '').trim().slice(0, 40);
      const phone = phoneOf(typed);
      if (!phone) throw new AppError('invalid_request', state.t('console.wallets.bad_phone'));
      const back = `/console/wallets?${new URLSearchParams({ phone: typed })}`;
      if (formOf(ctx).get('confirmed') !== '1') {
        return view(ctx, './office-confirm', { question: state.t(`console.wallets.confirm_${name}`, { phone: maskPhone(phone) }), action: ctx.path, fields: [['phone', typed]], back });
      }
      const done = `${back}&done=${name}`;
      const { actor } = state;
      const input = { phone, by: { kind: 'operator' as const, userId: actor.userId, email: actor.email, ip: actor.ip }, once: actorOnce(ctx, done).once };
      await (name === 'freeze' ? freezeWallets(deps, input) : unfreezeWallets(deps, input));
      ctx.status = 303;
      ctx.redirect(done);
    });
  }
}

/** The printable slip of a top-up: amount, wallet, masked phone, who, when, and the transaction number as the reference. */
function slipRoute(router: Router<AppState>, deps: PayDeps, view: ConsoleView) {
  router.get('/wallets/slips/:transfer', async (ctx) => {
    const state = deskOf(ctx);
    const id = /^\d{1,18}$/.test(ctx.params.transfer ?? '') ? BigInt(ctx.params.transfer!) : undefined;
    if (id === undefined) throw new AppError('not_found', 'No such top-up');
    const slip = await readTopUpSlip(deps, id, { userId: state.session.user.id, readsAll: consoleCan(state.session.user.role, 'read') });
    view(ctx, './console-slip', { slip, masked: slip.phone ? maskPhone(slip.phone) : '' });
  });
}
