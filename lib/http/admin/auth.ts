import type { AppMiddleware } from '../shared/context.js';
import { AppError } from '../../domain/errors.js';
import { secretsEqual } from '../../domain/secrets.js';

/** `Authorization: Bearer $ADMIN_TOKEN`, compared in constant time; without a configured token the admin API is off. */
export function requireAdmin(adminToken: string | null): AppMiddleware {
  return async (ctx, next) => {
    if (!adminToken) throw new AppError('admin_disabled');
    const match = /^Bearer (.+)$/.exec(ctx.get('Authorization'));
    if (!match || !secretsEqual(match[1]!, adminToken)) {
      throw new AppError('unauthorized', 'Send the operator token as Authorization: Bearer <ADMIN_TOKEN>', {}, { 'WWW-Authenticate': 'Bearer' });
    }
    await next();
  };
}
