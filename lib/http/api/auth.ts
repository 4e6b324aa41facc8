import type { AppContext, AppMiddleware } from '../shared/context.js';
import type { Deps } from '../../use-cases/shared/deps.js';
import { AppError } from '../../domain/errors.js';
import { authenticateApiKey } from '../../use-cases/merchants/authenticate-api-key.js';
import type { Merchant } from '../../domain/merchant.js';

/** `Authorization: Bearer tp_live_…|tp_test_…`: looked up by hash; the merchant is then in ctx.state.merchant. */
export function requireApiKey(deps: Pick<Deps, 'db' | 'clock' | 'config' | 'observer'>): AppMiddleware {
  return async (ctx, next) => {
    const merchant = await authenticateApiKey(deps, /^Bearer (\S+)$/.exec(ctx.get('Authorization'))?.[1]);
    if (!merchant) {
      throw new AppError('unauthorized', 'Send your API key as Authorization: Bearer tp_live_… or tp_test_…', {}, { 'WWW-Authenticate': 'Bearer' });
    }
    ctx.state.merchant = merchant;
    ctx.state.apiKeyId = merchant.keyId;
    await next();
  };
}

export function merchantOf(ctx: AppContext): Merchant {
  if (!ctx.state.merchant) throw new Error('route needs requireApiKey');
  return ctx.state.merchant;
}
