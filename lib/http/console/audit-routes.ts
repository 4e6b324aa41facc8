import type Router from '@koa/router';
import type { AppState } from '../shared/context.js';
import type { Deps } from '../../use-cases/shared/deps.js';
import { readConsoleAudit } from '../../use-cases/console/overview.js';
import { allow } from './guard.js';
import type { ConsoleView } from './view.js';

const text = (v: unknown, max: number) => (typeof v === 'string' && v.trim() !== '' && v.length <= max ? v.trim() : undefined);

/** docs/operator-guide.md#operator-console: every operator action (who, what, when, from where), filtered by who, what and on what. */
export function auditRoutes(router: Router<AppState>, deps: Pick<Deps, 'db'>, view: ConsoleView) {
  router.get('/audit', async (ctx) => {
    allow(ctx, 'read_audit');
    const before = typeof ctx.query.before === 'string' && /^\d{1,18}$/.test(ctx.query.before) ? BigInt(ctx.query.before) : undefined;
    const filter = { email: text(ctx.query.email, 254)?.toLowerCase(), action: text(ctx.query.action, 60), target: text(ctx.query.target, 254) };
    const entries = await readConsoleAudit(deps, { ...filter, beforeId: before, limit: 101 });
    const params = new URLSearchParams(Object.entries(filter).filter(([, v]) => v) as [string, string][]);
    view(ctx, './console-audit', { entries: entries.slice(0, 100), next: entries.length > 100 ? entries[99]!.id : null, filter, params: params.toString() });
  });
}
