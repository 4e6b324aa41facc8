import type Router from '@koa/router';
import type { AppContext, AppState } from '../shared/context.js';
import { passkeyAccount } from '../shared/passkey-page.js';
import type { Deps } from '../../use-cases/shared/deps.js';
import { changeOwnPassword } from '../../use-cases/users/change-own-password.js';
import { PASSWORD_MIN_LENGTH } from '../../domain/user.js';
import { AppError } from '../../domain/errors.js';
import { field, formOf } from './form.js';
import type { OfficeView } from './view.js';

/** docs/merchant-guide.md#back-office: every user changes its own password (fields `password`, `new_password`); its other sessions end. */
export function accountRoutes(router: Router<AppState>, deps: Pick<Deps, 'db' | 'clock' | 'config'>, view: OfficeView) {
  // docs/security.md#passkeys: the user's passkeys are listed, added and removed here
  const keys = async (ctx: AppContext) => (ctx.state.office ? passkeyAccount(deps, ctx.state.office.session.user.id) : {});
  router.get('/account', async (ctx) => view(ctx, './office-account', { min: PASSWORD_MIN_LENGTH, ...(await keys(ctx)) }));
  router.post('/account', async (ctx) => {
    const office = ctx.state.office;
    if (!office) throw new AppError('unauthorized', 'Sign in first');
    const form = formOf(ctx);
    const outcome = await changeOwnPassword(deps, office.session, { password: field(form, 'password', 1000), newPassword: field(form, 'new_password', 1000), ip: office.actor.ip });
    if (outcome.ok) return view(ctx, './office-account', { min: PASSWORD_MIN_LENGTH, flash: office.t('office.account.changed'), ...(await keys(ctx)) });
    const problem = outcome.problem === 'locked'
      ? office.t('office.login.locked', { time: outcome.lockedUntil.toISOString().slice(11, 16) })
      : outcome.problem === 'wrong' ? office.t('office.account.wrong') : office.t(`office.problem.${outcome.problem}`, { min: PASSWORD_MIN_LENGTH });
    view(ctx, './office-account', { min: PASSWORD_MIN_LENGTH, problem, ...(await keys(ctx)) }, outcome.problem === 'locked' ? 429 : 422);
  });
}
