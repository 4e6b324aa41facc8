import type Router from '@koa/router';
import type { AppContext, AppState } from '../shared/context.js';
import type { PayDeps } from '../../use-cases/shared/deps.js';
import { listOfficeUsers, officeChangeUser } from '../../use-cases/office/actions.js';
import type { UserChange } from '../../use-cases/office/change-user.js';
import { userIdParam } from '../../schemas/admin.js';
import { AppError, isAppError } from '../../domain/errors.js';
import { ROLES, type Role } from '../../domain/office.js';
import { actorOnce, allow } from './guard.js';
import { field, formOf } from './form.js';
import type { OfficeView } from './view.js';

/**
 * docs/merchant-guide.md#back-office "Users": an owner changes a user's role, disables or enables it, and sends it a new
 * set-up link (shown once). Disabling and the new link are asked for confirmation first.
 */
export function userChangeRoutes(router: Router<AppState>, deps: PayDeps, view: OfficeView) {
  const list = async (ctx: AppContext, extra: Record<string, unknown>, status: number) => {
    const office = allow(ctx, 'manage_users');
    view(ctx, './office-users', { users: await listOfficeUsers(deps, office.actor.merchantId), now: deps.clock.now(), ...extra }, status);
  };
  router.post('/users/:id', async (ctx) => {
    const office = allow(ctx, 'manage_users');
    const id = userIdParam.safeParse(ctx.params.id);
    if (!id.success) throw new AppError('user_not_found', office.t('office.users.not_found'));
    const form = formOf(ctx);
    const change = changeOf(form);
    if (!change) throw new AppError('invalid_request', office.t('office.error.invalid', { detail: 'role, status or reset_password' }));
    const destructive = change.status === 'disabled' || change.resetPassword;
    if (destructive && form.get('confirmed') !== '1') {
      const email = (await listOfficeUsers(deps, office.actor.merchantId)).find((u) => u.id === id.data)?.email;
      if (!email) throw new AppError('user_not_found', office.t('office.users.not_found'));
      return view(ctx, './office-confirm', {
        question: office.t(change.resetPassword ? 'office.confirm.reset_password' : 'office.confirm.disable', { email }),
        action: ctx.path, fields: change.resetPassword ? [['reset_password', '1']] : [['status', 'disabled']], back: '/office/users',
      });
    }
    try {
      // a second post of the same form (a double click, the confirmation re-sent) acts no more: it is sent to the list
      const changed = await officeChangeUser(deps, actorOnce(ctx, '/office/users'), id.data, change);
      if (changed.setupUrl) return list(ctx, { created: { email: changed.user.email, setupUrl: changed.setupUrl }, flash: office.t('office.users.reset_done') }, 200);
    } catch (err) {
      if (isAppError(err) && err.code === 'last_owner') return list(ctx, { problem: office.t('office.users.last_owner') }, 409);
      throw err;
    }
    ctx.status = 303;
    ctx.redirect('/office/users');
  });
}

function changeOf(form: URLSearchParams): UserChange | undefined {
  const role = field(form, 'role', 10);
  const status = field(form, 'status', 10);
  const change: UserChange = {
    role: (ROLES as readonly string[]).includes(role) ? (role as Role) : undefined,
    status: status === 'active' || status === 'disabled' ? status : undefined,
    resetPassword: field(form, 'reset_password', 5) === '1' || undefined,
  };
  if ((role && !change.role) || (status && !change.status)) return undefined;
  return change.role || change.status || change.resetPassword ? change : undefined;
}
