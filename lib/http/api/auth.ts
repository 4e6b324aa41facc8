import type { AppContext, AppMiddleware } from '../shared/context.js';
import type { Deps } from '../../use-cases/shared/deps.js';
import { AppError } from '../../domain/errors.js';
import { authenticateApiKey } from '../../use-cases/merchants/authenticate-api-key.js';
import { count } from '../../use-cases/limits/rate-limit.js';
import { ridingHit } from '../../use-cases/limits/riding-hits.js';
import type { Merchant } from '../../domain/merchant.js';
import type { Mode } from '../../domain/ledger.js';
import type { MerchantId } from '../../domain/ids.js';

/** Routes whose money statement counts the key's hit itself (docs/architecture.md#money-statements): one round trip and one commit less. */
const COUNTED_BY_THE_STATEMENT = [/^\/api\/v1\/payments$/, /^\/api\/v1\/payments\/[^/]+\/confirm$/];

/** `Authorization: Bearer tp_live_…|tp_test_…`: looked up by hash; the merchant is then in ctx.state.merchant, its `mode` the key's (docs/merchant-guide.md#test-mode). */
export function requireApiKey(deps: Pick<Deps, 'db' | 'clock' | 'config' | 'observer'>): AppMiddleware {
  return async (ctx, next) => {
    const countLater = ctx.method === 'POST' && COUNTED_BY_THE_STATEMENT.some((r) => r.test(ctx.path));
    const merchant = await authenticateApiKey(deps, /^Bearer (\S+)$/.exec(ctx.get('Authorization'))?.[1], { countLater });
    if (!merchant) {
      throw new AppError('unauthorized', 'Send your API key as Authorization: Bearer tp_live_… or tp_test_…', {}, { 'WWW-Authenticate': 'Bearer' });
    }
    ctx.state.merchant = merchant;
    ctx.state.apiKeyId = merchant.keyId;
    if (!countLater) return next();
    const hit = ridingHit(deps, 'api_key', merchant.keyId);
    ctx.state.apiHit = hit;
    try {
      await next();
    } finally {
      // a request that never reached its statement (bad input, no such payment) still counts
      if (!hit.counted) await count(deps, 'api_key', merchant.keyId);
    }
  };
}

/**
 * A live merchant's test key reads its shops and keys but changes nothing the live side uses (settings, purses, secrets,
 * live keys): a key kept in a test suite cannot break production (docs/merchant-guide.md#test-mode). A test merchant's keys act as before.
 */
export function refuseTestKeyOfLive(ctx: AppContext): void {
  const merchant = ctx.state.merchant as (Merchant & { accountMode?: Mode }) | undefined;
  if (merchant?.mode === 'test' && merchant.accountMode === 'live') {
    throw new AppError('forbidden', 'A test key cannot change live settings: use a tp_live_ key or the back office');
  }
}

/** Whose Idempotency-Keys these are: a live merchant's test keys keep their own, apart from its live keys. */
export function idempotencyOwner(ctx: AppContext): MerchantId {
  const merchant = ctx.state.merchant as (Merchant & { accountMode?: Mode }) | undefined;
  if (!merchant) throw new Error('route needs requireApiKey');
  return merchant.mode === 'test' && merchant.accountMode === 'live' ? `${merchant.id}:test` : merchant.id;
}

export function merchantOf(ctx: AppContext): Merchant {
  if (!ctx.state.merchant) throw new Error('route needs requireApiKey');
  return ctx.state.merchant;
}
