import { randomUUID } from 'node:crypto';
import type { Logger } from '../../log.js';
import { maskPhone } from '../../domain/phone.js';
import type { AppMiddleware } from './context.js';
import type { HttpMetrics } from './metrics.js';

const INCOMING_ID = /^[A-Za-z0-9._:-]{8,64}$/;
const PAYMENT_IN_PATH = /\/(pay_[0-9a-z]{24})(?:\/|$)/;
// paths whose last segment is a bearer secret (set-up links, pay links, alert confirmations, receipts): logged as `…`
const SECRET_IN_PATH = /^(\/office\/setup\/|\/console\/setup\/|\/l\/|\/alerts\/confirm\/|\/r\/)[^/]+/;
// a phone named by an operator route (lift, erase, export): logged masked
const PHONE_IN_PATH = /\/phones\/([^/]+)/;

/** The path as logged: a token that is the secret of a link never reaches the log. */
export function loggablePath(path: string): string {
  return path.replace(SECRET_IN_PATH, '$1…').replace(PHONE_IN_PATH, (_m, phone: string) => `/phones/${maskPhone(phone.replace(/^%2B/i, ''))}`);
}

/** Gives every request an id (kept from X-Request-Id when sane), a child logger, an access log line and metrics. */
export function requestContext(log: Logger, metrics: HttpMetrics): AppMiddleware {
  return async (ctx, next) => {
    const incoming = ctx.get('X-Request-Id');
    const requestId = INCOMING_ID.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = requestId;
    // every line of a request about a payment carries its id (grep pay_… tells its story); a request that
    // creates one names it in ctx.state.paymentId, which the access line below carries
    const about = PAYMENT_IN_PATH.exec(ctx.path)?.[1];
    ctx.state.log = log.child(about ? { reqId: requestId, payment: about } : { reqId: requestId });
    ctx.set('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = typeof ctx._matchedRoute === 'string' ? ctx._matchedRoute : 'unmatched';
      metrics.observe(ctx.method, route, ctx.status, seconds);
      // The path only: query strings may carry phone numbers; a link's token is its secret.
      // `ip` is the socket's address, or with TRUST_PROXY the one the trusted proxy added to X-Forwarded-For
      ctx.state.log.info({ method: ctx.method, route, path: loggablePath(ctx.path), status: ctx.status, ms: Math.round(seconds * 1000), ip: ctx.ip, ...(!about && ctx.state.paymentId ? { payment: ctx.state.paymentId } : {}) }, 'request');
    }
  };
}
