import type { AppContext, AppMiddleware } from './context.js';
import { AppError, ServerKeyError, invalidRequest, type ErrorCode } from '../../domain/errors.js';
import { findJsonSyntaxError } from './json-syntax.js';
import { isTransientDatabaseError } from './transient-errors.js';

export type Problem = {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
  request_id: string;
  [extra: string]: unknown;
};

export type HtmlErrorRenderer = (ctx: AppContext, problem: Problem) => string;

/** Koa and its middleware throw http-errors with a status; they map onto the catalogue by status. */
const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'invalid_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

function toAppError(err: unknown): AppError | undefined {
  if (err instanceof AppError) return err;
  // the cause (which key, which row: never a secret) goes to the log; another instance may have the key
  if (err instanceof ServerKeyError) return new AppError('not_ready', 'This cannot be done on this server right now: try again in a moment', {}, { 'Retry-After': '5' });
  const e = err as { status?: number; expose?: boolean; message?: string; body?: unknown };
  if (e.status === 400 && typeof e.body === 'string') return notJson(e.body);
  if (isTransientDatabaseError(err)) {
    return new AppError('not_ready', 'The database is not reachable right now: try again in a moment (with the same Idempotency-Key)', {}, { 'Retry-After': '1' });
  }
  const code = e.status ? CODE_BY_STATUS[e.status] : undefined;
  if (!code) return undefined;
  // Only messages that http-errors marks as safe reach the client.
  return new AppError(code, e.expose && e.message ? e.message : undefined);
}

/** The body parser refused the JSON: say where, in lines and columns, not in the parser's words. */
function notJson(body: string): AppError {
  const at = findJsonSyntaxError(body);
  const message = at
    ? `is not valid JSON: unexpected ${at.found} at line ${at.line}, column ${at.column}`
    : 'must be a JSON object';
  return invalidRequest(`The request body ${message}.`, [{ field: '(body)', message, in: 'body' }]);
}

export function problemOf(err: AppError, requestId: string): Problem {
  // the standard members come last so no extra can overwrite them
  return {
    ...err.extra,
    type: `/docs#problem-${err.code}`,
    title: err.title,
    status: err.status,
    code: err.code,
    detail: err.message,
    request_id: requestId,
  };
}

/** Every error leaves as RFC 9457 problem+json (or an HTML page on hosted pages); unknown ones as a bare 500. */
export function errorHandler(renderHtml: HtmlErrorRenderer): AppMiddleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new AppError('not_found', `Nothing at ${ctx.method} ${ctx.path}`);
    } catch (err) {
      let appErr = toAppError(err);
      if (!appErr) {
        ctx.state.log.error({ err }, 'unhandled error');
        appErr = new AppError('internal_error', `Something went wrong on our side. Quote request id ${ctx.state.requestId} when asking for help.`);
      } else if (appErr.status >= 500) {
        ctx.state.log.warn({ code: appErr.code, cause: appErr === err ? undefined : String((err as Error)?.message ?? err).slice(0, 200) }, appErr.message);
      }
      const problem = problemOf(appErr, ctx.state.requestId);
      ctx.status = appErr.status;
      for (const [name, value] of Object.entries(appErr.headers)) ctx.set(name, value);
      if (ctx.state.errorFormat === 'html') {
        ctx.type = 'text/html; charset=utf-8';
        ctx.body = renderHtml(ctx, problem);
      } else {
        ctx.type = 'application/problem+json';
        ctx.body = problem;
      }
    }
  };
}
