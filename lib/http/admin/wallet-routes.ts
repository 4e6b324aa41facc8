import type Router from '@koa/router';
import type { AppState } from '../shared/context.js';
import type { Deps } from '../../use-cases/shared/deps.js';
import { parseInput } from '../../schemas/parse.js';
import { walletsOfPhoneQuery } from '../../schemas/wallets.js';
import { adminWalletsOfPhone } from '../../admin/wallets.js';

/** The wallets of one exact phone under /admin/v1 (the admin router's auth applies): the console's wallet page, for scripts. */
export function walletRoutes(router: Router<AppState>, deps: Deps) {
  router.get('/wallets', async (ctx) => {
    const { phone } = parseInput(walletsOfPhoneQuery, ctx.query, 'query');
    ctx.body = (await adminWalletsOfPhone(deps, phone)).body;
  });
}
