import type Router from '@koa/router';
import type { AppContext, AppState } from '../shared/context.js';
import type { PayDeps } from '../../use-cases/shared/deps.js';
import { listLimited } from '../../use-cases/limits/manage-limits.js';
import { consoleLift, limitState, type LimitSubject } from '../../use-cases/console/limits.js';
import { parseInput } from '../../schemas/parse.js';
import { liftForm, limitsQuery } from '../../schemas/console-money.js';
import { isAppError } from '../../domain/errors.js';
import { formOf } from '../shared/form.js';
import { actorOnce, allow } from './guard.js';
import type { ConsoleView } from './view.js';

/** The one subject a lookup names: a phone, else a range, else an address. */
function subjectOf(ctx: AppContext): LimitSubject | undefined {
  const q = parseInput(limitsQuery, ctx.query, 'query');
  return q.phone ? { kind: 'phone', phone: q.phone, mode: q.mode } : q.range ? { kind: 'range', range: q.range } : q.address ? { kind: 'address', address: q.address } : undefined;
}

/** The query that looks the subject up again. */
function queryOf(subject: LimitSubject): Record<string, string> {
  if (subject.kind === 'phone') return { phone: `+${subject.phone}`, mode: subject.mode };
  return subject.kind === 'range' ? { range: `+${subject.range}` } : { address: subject.address };
}

/** docs/operator-guide.md#operator-console: the state of the abuse limits of a phone, a number range or an address, and the lift. */
export function limitRoutes(router: Router<AppState>, deps: PayDeps, view: ConsoleView) {
  router.get('/limits', async (ctx) => {
    const state = allow(ctx, 'read');
    let subject: LimitSubject | undefined;
    try {
      subject = subjectOf(ctx);
    } catch (err) {
      if (!isAppError(err) || err.status >= 500) throw err;
      return view(ctx, './console-limits', { limited: await listLimited(deps), query: ctx.query, problem: state.t('office.error.invalid', { detail: err.message }) }, 400);
    }
    // with no lookup, everything held back now (the phones, ranges and addresses at their limit)
    view(ctx, './console-limits', {
      subject, state: subject ? await limitState(deps, subject) : undefined, limited: subject ? undefined : await listLimited(deps),
      query: ctx.query, flash: ctx.query.done === 'lift' ? state.t('console.limits.done') : undefined,
    });
  });
  router.post('/limits/lift', async (ctx) => {
    allow(ctx, 'lift_limits');
    const form = formOf(ctx);
    const input = parseInput(liftForm, Object.fromEntries(['kind', 'phone', 'mode', 'range', 'address'].filter((f) => form.has(f)).map((f) => [f, form.get(f)!.slice(0, 60)])), 'form');
    const subject: LimitSubject = input.kind === 'phone' ? { kind: 'phone', phone: input.phone, mode: input.mode } : input.kind === 'range' ? { kind: 'range', range: input.range } : { kind: 'address', address: input.address };
    const done = `/console/limits?${new URLSearchParams({ ...queryOf(subject), done: 'lift' })}`;
    await consoleLift(deps, actorOnce(ctx, done), subject);
    ctx.status = 303;
    ctx.redirect(done);
  });
}
