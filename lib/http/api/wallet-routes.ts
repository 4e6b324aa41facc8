import type Router from '@koa/router';
import type { AppState } from '../shared/context.js';
import type { PayDeps } from '../../use-cases/shared/deps.js';
import { merchantOf } from './auth.js';
import { parseInput } from '../../schemas/parse.js';
import { purseParam } from '../../schemas/common.js';
import { testSmsQuery } from '../../schemas/payments.js';
import { readWallet } from '../../use-cases/buyers/read-wallet.js';
import { readTestSms } from '../../use-cases/messages/read-test-sms.js';
import { AppError } from '../../domain/errors.js';
import { walletJson } from '../../presenters/wallet.js';

/** The merchant's own wallets, and the test-mode SMS inbox. */
export function walletRoutes(router: Router<AppState>, deps: PayDeps) {
  router.get('/wallets/:purse', async (ctx) => {
    const purse = parseInput(purseParam, ctx.params.purse, 'purse');
    ctx.body = walletJson(await readWallet(deps, purse, merchantOf(ctx).id, merchantOf(ctx).mode));
  });

  router.get('/test/sms', async (ctx) => {
    const merchant = merchantOf(ctx);
    if (merchant.mode !== 'test') throw new AppError('forbidden', 'Only test keys (tp_test_…) can read codes');
    const { phone } = parseInput(testSmsQuery, ctx.query, 'query');
    ctx.body = { data: await readTestSms(deps, merchant.id, phone) };
  });
}
