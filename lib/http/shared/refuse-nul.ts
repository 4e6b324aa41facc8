import type { AppMiddleware } from './context.js';
import { invalidRequest } from '../../domain/errors.js';
import { findNul } from '../../domain/text.js';

/**
 * PostgreSQL cannot store U+0000, so a NUL anywhere in a JSON body or a query string would end as
 * a 500 deep inside a use-case. It is refused at the door, naming the field, before anything runs.
 */
export function refuseNulBytes(): AppMiddleware {
  return async (ctx, next) => {
    const inQuery = findNul(ctx.query);
    if (inQuery) throw invalidRequest(`The query parameter ${inQuery} contains a NUL byte`, [{ field: inQuery, message: 'contains a NUL byte' }]);
    if (typeof ctx.request.body === 'object' && ctx.request.body !== null) {
      const inBody = findNul(ctx.request.body);
      if (inBody) throw invalidRequest(`${inBody} contains a NUL byte`, [{ field: inBody, message: 'contains a NUL byte' }]);
    }
    await next();
  };
}
