import type { AppContext } from './context.js';

/**
 * The path this page opens at by GET, for its language links and mode switch: its own; for a page that answers a form (a
 * confirmation, a form shown again), the page the form is on (`back`, within the area), else the area's home: a POST address
 * opened by a link is a 404 or 405.
 */
export function pagePath(ctx: AppContext, home: string, back?: unknown): string {
  if (ctx.method === 'GET' || ctx.method === 'HEAD') return ctx.path;
  if (typeof back === 'string' && (back === home || back.startsWith(`${home}/`) || back.startsWith(`${home}?`))) return back.split('?')[0]!;
  return home;
}
