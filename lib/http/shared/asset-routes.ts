import Router from '@koa/router';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { AppState } from './context.js';

const TYPES: Record<string, string> = { '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.svg': 'image/svg+xml' };

// The browser build of libphonenumber-js (the same metadata the server validates with) for formatting as you type.
const require = createRequire(import.meta.url);
const VENDOR: Record<string, string> = {
  'libphonenumber-min.js': path.join(path.dirname(require.resolve('libphonenumber-js/package.json')), 'bundle', 'libphonenumber-min.js'),
  // WebAuthn in the browser (docs/security.md#passkeys): the package's own UMD bundle, never a CDN; its exports hide package.json
  'simplewebauthn-browser.js': path.join(path.dirname(require.resolve('@simplewebauthn/browser')), '..', 'dist', 'bundle', 'index.umd.min.js'),
};

/** The few static files of the hosted pages, read once at start and served from memory. */
export function assetRoutes() {
  // with Redoc's prebuilt bundle, a committed copy (tools/redoc-bundle.ts): from our own origin, the CSP keeps script-src 'self'
  const dir = fileURLToPath(new URL('../assets/', import.meta.url));
  const sources = [
    ...readdirSync(dir).filter((name) => TYPES[path.extname(name)]).map((name) => [name, path.join(dir, name)] as const),
    ...Object.entries(VENDOR),
  ];
  const files = new Map(
    sources.map(([name, file]) => {
      const body = readFileSync(file);
      return [name, { body, type: TYPES[path.extname(name)]!, etag: `"${createHash('sha1').update(body).digest('base64url')}"` }] as const;
    }),
  );
  const router = new Router<AppState>();
  router.get('/assets/:name', (ctx) => {
    const file = files.get(ctx.params.name ?? '');
    if (!file) return;
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.set('ETag', file.etag);
    if (ctx.get('If-None-Match') === file.etag) {
      ctx.status = 304;
      return;
    }
    ctx.type = file.type;
    ctx.body = file.body;
  });
  return router;
}
