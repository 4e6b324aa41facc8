import type Router from '@koa/router';
import type { AppMiddleware, AppState } from './context.js';
import { AppError } from '../../domain/errors.js';

/**
 * Mounted once before the routers: a path some route serves, asked with a method none of its routes
 * takes (TRACE, PROPFIND, any other), is 405 with `Allow`; OPTIONS answers `Allow`. @koa/router's own
 * allowedMethods threw 501 for a method outside its list, which the error handler took for a bug (a
 * 500, logged at error level) on every path, for anyone.
 */
export function allowedMethods(routers: Router<AppState>[]): AppMiddleware {
  return async (ctx, next) => {
    await next();
    if (ctx.status !== 404 || ctx.body !== undefined) return;
    const layers = routers.flatMap((router) => router.match(ctx.path, ctx.method).path);
    const allowed = [...new Set(layers.flatMap((layer) => layer.methods))].sort();
    if (allowed.length === 0 || allowed.includes(ctx.method)) return;
    const allow = allowed.join(', ');
    if (ctx.method === 'OPTIONS') {
      ctx.status = 204;
      ctx.set('Allow', allow);
      return;
    }
    throw new AppError('method_not_allowed', `${ctx.method} is not allowed here: use ${allow}`, {}, { Allow: allow });
  };
}
