import type { AppMiddleware, AppContext } from './context.js';

/**
 * Headers on every answer. Pages get a CSP without inline script (every script is a file of
 * ours), no framing, no referrer; the pay pages widen form-action to the shop's Success/Fail
 * origins, because a form post (and the redirects after it) may lead there.
 */
export function securityHeaders(publicUrl: string): AppMiddleware {
  const https = publicUrl.startsWith('https:');
  return async (ctx, next) => {
    await next();
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set('X-Frame-Options', 'DENY');
    if (https) ctx.set('Strict-Transport-Security', 'max-age=31536000');
    if (ctx.response.is('html')) ctx.set('Content-Security-Policy', contentSecurityPolicy(ctx));
  };
}

function contentSecurityPolicy(ctx: AppContext): string {
  const formTargets = ["'self'", ...(ctx.state.formOrigins ?? [])].join(' ');
  return [
    "default-src 'none'",
    "script-src 'self'",
    ctx.state.inlineStyles ? "style-src 'self' 'unsafe-inline'" : "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    `form-action ${formTargets}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}
