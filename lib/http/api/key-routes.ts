import type Router from '@koa/router';
import type { AppState } from '../shared/context.js';
import type { PayDeps } from '../../use-cases/shared/deps.js';
import { merchantOf } from './auth.js';
import { parseInput } from '../../schemas/parse.js';
import { apiKeyIdParam, createApiKeyBody } from '../../schemas/payments.js';
import { createApiKey, listApiKeys, revokeApiKey, type ApiKey } from '../../use-cases/merchants/manage-api-keys.js';
import { answerNote } from '../shared/idempotency.js';
import { apiKeyJson } from '../../presenters/api-key.js';
import { AppError } from '../../domain/errors.js';

/** The merchant's API keys (docs/merchant-guide.md#shops-methods-and-keys): list, create (the key is shown once), revoke at once. */
export function keyRoutes(router: Router<AppState>, deps: PayDeps) {
  router.get('/api_keys', async (ctx) => {
    const keys = await listApiKeys(deps, merchantOf(ctx).id);
    ctx.body = { data: keys.map(apiKeyJson), has_more: false, next_cursor: null };
  });

  router.post('/api_keys', async (ctx) => {
    const { name } = parseInput(createApiKeyBody, ctx.request.body);
    // the key itself is never stored, so the kept answer (replayed without it) is built from the row
    const { row, key } = await createApiKey(deps, merchantOf(ctx), name ?? '', answerNote(ctx, 201, (r: ApiKey) => ({ ...apiKeyJson(r), key: null })));
    ctx.status = 201;
    ctx.body = { ...apiKeyJson(row), key };
  });

  router.delete('/api_keys/:id', async (ctx) => {
    const id = apiKeyIdParam.safeParse(ctx.params.id);
    if (!id.success) throw new AppError('api_key_not_found', `No API key ${String(ctx.params.id).slice(0, 40)}`);
    await revokeApiKey(deps, merchantOf(ctx).id, id.data, undefined, merchantOf(ctx).mode === 'test' ? 'test' : undefined);
    ctx.status = 204;
  });
}
