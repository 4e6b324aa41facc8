import type { Deps } from '../use-cases/shared/deps.js';
import type { UserId } from '../domain/ids.js';
import type { CreateOperatorBody, ListUsersQuery, SearchPaymentsQuery, UpdateOperatorBody } from '../schemas/console.js';
import { changeOperator, createOperator, listAllOfficeUsers, listOperatorUsers } from '../use-cases/console/operators.js';
import { searchAllPayments } from '../use-cases/console/payments.js';
import { operatorJson } from '../presenters/operator.js';
import { userJson } from '../presenters/user.js';
import { paymentJson } from '../presenters/payment.js';
import type { Outcome } from './operations.js';

/** POST /admin/v1/operators and `operators:create`: the set-up link is in this answer only (docs/operator-guide.md#operator-console). */
export async function adminCreateOperator(deps: Deps, body: CreateOperatorBody, by: string): Promise<Outcome> {
  const made = await createOperator(deps, body, by);
  return {
    created: true,
    body: { id: made.id, object: 'operator', email: made.email, role: made.role, status: 'active', setup_url: made.setupUrl, setup_expires_at: made.setupExpiresAt.toISOString() },
  };
}

export async function adminListOperators(deps: Deps): Promise<Outcome> {
  return { created: false, body: { data: (await listOperatorUsers(deps)).map((u) => operatorJson(u, null)) } };
}

/** PATCH /admin/v1/operators/{id}: role, status, a new set-up link (`reset`, in this answer only), the authenticator removed. */
export async function adminUpdateOperator(deps: Deps, id: UserId, body: UpdateOperatorBody, by: string): Promise<Outcome> {
  const { user, setupUrl } = await changeOperator(deps, id, { role: body.role, status: body.status, resetPassword: body.reset, resetTotp: body.reset_totp }, by);
  return { created: false, body: operatorJson(user, setupUrl) };
}

/** GET /admin/v1/users: merchants' users across merchants, by id. */
export async function adminListUsers(deps: Deps, q: ListUsersQuery): Promise<Outcome> {
  const page = await listAllOfficeUsers(deps, { merchantId: q.merchant_id, email: q.email, after: q.cursor, limit: q.limit });
  return { created: false, body: { data: page.data.map((u) => userJson(u, null)), has_more: page.hasMore, next_cursor: page.nextCursor } };
}

/** GET /admin/v1/payments?q=: a payment id, invoice, order number or phone, across every merchant, newest first. */
export async function adminSearchPayments(deps: Deps, q: SearchPaymentsQuery): Promise<Outcome> {
  const page = await searchAllPayments(deps, { q: q.q, status: q.status, limit: q.limit, cursor: q.cursor });
  return { created: false, body: { data: page.data.map((p) => ({ ...paymentJson(p, deps.config.publicUrl), merchant_id: p.merchantId })), has_more: page.hasMore, next_cursor: page.nextCursor } };
}
