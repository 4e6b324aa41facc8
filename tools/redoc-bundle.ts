import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const dir = path.join(path.dirname(require.resolve('redoc/package.json')), 'bundles');
const CDN_LOGO = 'https://cdn.redoc.ly/redoc/logo-mini.svg';

/** Where the service serves Redoc from: a committed copy, so that `redoc` and its React tree stay out of the runtime dependencies. */
export const VENDORED = new URL('../lib/http/assets/redoc.standalone.js', import.meta.url);

/**
 * Redoc's prebuilt standalone bundle as the service serves it. Its attribution shows a logo from
 * Redoc's CDN, which the CSP refuses (a console error): an empty data: image makes Redoc drop the
 * image and keep the "API docs by Redocly" text.
 */
export function redocBundle(): { body: string; license: string } {
  const body = readFileSync(path.join(dir, 'redoc.standalone.js'), 'utf8').split(CDN_LOGO).join('data:,');
  return { body, license: readFileSync(path.join(dir, 'redoc.standalone.js.LICENSE.txt'), 'utf8') };
}
