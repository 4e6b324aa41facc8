import type { AppContext } from '../shared/context.js';
import type { PayDeps } from '../../use-cases/shared/deps.js';
import { notificationIdParam } from '../../schemas/payments.js';
import { AppError } from '../../domain/errors.js';
import type { NotificationId } from '../../domain/ids.js';
import { paymentJson } from '../../presenters/payment.js';
import type { Payment } from '../../domain/payment.js';

export function paymentPresenter(deps: Pick<PayDeps, 'config'>) {
  return (p: Payment) => paymentJson(p, deps.config.publicUrl);
}

export function notificationIdOf(ctx: AppContext): NotificationId {
  const parsed = notificationIdParam.safeParse(ctx.params.id);
  if (!parsed.success) throw new AppError('notification_not_found', `No notification ${String(ctx.params.id).slice(0, 40)}`);
  return parsed.data;
}
