import type Router from '@koa/router';
import type { AppState } from '../shared/context.js';
import type { PayDeps } from '../../use-cases/shared/deps.js';
import { parseInput } from '../../schemas/parse.js';
import { phoneInput } from '../../schemas/common.js';
import { adminErasePhone, adminExportPhone } from '../../admin/personal-data.js';

/** docs/operator-guide.md#erasure-and-export: a person's phone erased, or everything kept about it handed out. */
export function phoneRoutes(router: Router<AppState>, deps: PayDeps) {
  router.post('/phones/:phone/erase', async (ctx) => {
    const outcome = await adminErasePhone(deps, parseInput(phoneInput, ctx.params.phone, 'phone'), { by: 'admin-api' });
    ctx.body = outcome.body;
  });
  router.get('/phones/:phone/export', async (ctx) => {
    const outcome = await adminExportPhone(deps, parseInput(phoneInput, ctx.params.phone, 'phone'));
    ctx.set('Content-Disposition', 'attachment; filename="phone-export.json"');
    ctx.body = outcome.body;
  });
}
