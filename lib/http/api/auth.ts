import type { AppContext, AppMiddleware } from '../shared/context.js';
import type { Db } from '../../store/db.js';
import { findMerchantByApiKeyHash, type MerchantRow } from '../../store/merchants.js';
import { AppError } from '../../domain/errors.js';
import { apiKeyMode, sha256Hex } from '../../domain/secrets.js';

/** `Authorization: Bearer tp_live_…|tp_test_…`: looked up by hash; the merchant is then in ctx.state.merchant. */
export function requireApiKey(db: Db): AppMiddleware {
  return async (ctx, next) => {
    const key = /^Bearer (\S+)$/.exec(ctx.get('Authorization'))?.[1];
    const mode = key ? apiKeyMode(key) : undefined;
    const found = key && mode ? await findMerchantByApiKeyHash(db, sha256Hex(key)) : undefined;
    const merchant = found && found.keyMode === mode ? found : undefined;
    if (!merchant) {
      throw new AppError('unauthorized', 'Send your API key as Authorization: Bearer tp_live_… or tp_test_…', {}, { 'WWW-Authenticate': 'Bearer' });
    }
    ctx.state.merchant = merchant;
    await next();
  };
}

export function merchantOf(ctx: AppContext): MerchantRow {
  if (!ctx.state.merchant) throw new Error('route needs requireApiKey');
  return ctx.state.merchant;
}
