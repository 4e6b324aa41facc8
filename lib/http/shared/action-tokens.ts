import type { AppContext, AppMiddleware } from './context.js';
import type { Deps } from '../../use-cases/shared/deps.js';
import { isSpentAlready, spentActionOutcome } from '../../use-cases/shared/action-tokens.js';
import { actionTokenHash, issueActionToken } from '../../domain/action-token.js';
import { AppError } from '../../domain/errors.js';

export type ActionTokenRules = {
  /** The secret of the audience's session that signs its tokens (undefined: no session, refused). */
  secretOf: (ctx: AppContext) => string | undefined;
  formOf: (ctx: AppContext) => URLSearchParams;
  /** POSTs that are no action on the account (signing in or out, one's own password): no token asked. */
  exempt: (ctx: AppContext) => boolean;
  /** The refusal of a missing, foreign or stale token, readable in the page's language. */
  expired: (ctx: AppContext) => string;
};

/** The `_once` field of a form posting to `action`, for the page's templates. */
export function formToken(secret: string, action: string, now: Date): string {
  return issueActionToken(secret, action, now);
}

/**
 * docs/merchant-guide.md#back-office "Acting once", for every audience with action forms (the office now; the buyer's page and
 * the console alike): each action POST carries `_once`, a token of its session and of the path it
 * posts to. A spent token is sent (303) where its action's outcome shows instead of acting again; so
 * is a post that raced its twin and lost (its spend failed in the action's transaction, undoing it,
 * or the action refused what the twin had just done).
 * Routes spend the token through their use-case's transaction (use-cases/action-tokens.ts).
 */
export function actingOnce(deps: Pick<Deps, 'db' | 'clock'>, rules: ActionTokenRules): AppMiddleware {
  return async (ctx, next) => {
    if (ctx.method !== 'POST' || rules.exempt(ctx)) return next();
    const secret = rules.secretOf(ctx);
    const token = rules.formOf(ctx).get('_once');
    const hash = secret ? actionTokenHash(secret, ctx.path, token, deps.clock.now()) : undefined;
    if (!hash || !token) throw new AppError('forbidden', rules.expired(ctx));
    const done = await spentActionOutcome(deps, hash);
    if (done) return seeOther(ctx, done);
    ctx.state.actionToken = { token, hash };
    try {
      await next();
    } catch (err) {
      if (!isSpentAlready(err)) throw err;
      return seeOther(ctx, (await spentActionOutcome(deps, hash))!);
    }
    // refused because its twin acted meanwhile (a user that exists now, a payment captured): the twin's outcome
    if (ctx.status >= 400) {
      const twin = await spentActionOutcome(deps, hash);
      if (twin) seeOther(ctx, twin);
    }
  };
}

function seeOther(ctx: AppContext, location: string): void {
  ctx.status = 303;
  ctx.set('Cache-Control', 'no-store');
  ctx.redirect(location);
}
