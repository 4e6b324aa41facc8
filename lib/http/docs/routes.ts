import Router from '@koa/router';
import { readFileSync } from 'node:fs';
import type { Eta } from 'eta';
import type { AppState } from '../shared/context.js';
import { ERROR_CATALOGUE } from '../../domain/errors.js';
import { MERCHANT_API } from './merchant-api.js';
import { ADMIN_API } from './admin-api.js';
import { openApiDocument } from './document.js';
import { GUIDES, retryWindowText } from './guides.js';
import { renderGuides } from './guide-pages.js';

const SNIPPETS = ['verify-result.mjs', 'verify-result.php', 'verify-webhook.mjs'] as const;

/** The developer's documentation: the two OpenAPI documents, their reference pages (Redoc), guides and the error catalogue. */
export function docsRoutes(views: Eta, publicUrl: string, notify: { retrySchedule: readonly number[]; timeoutMs: number }) {
  const merchantDoc = openApiDocument(MERCHANT_API, publicUrl, true);
  const adminDoc = openApiDocument(ADMIN_API, publicUrl, false);
  const snippets = Object.fromEntries(SNIPPETS.map((name) => [name, readFileSync(new URL(`../../../docs/snippets/${name}`, import.meta.url), 'utf8')]));
  const base = publicUrl.replace(/\/$/, '');
  // one copy of the guides: docs/merchant-guide.md, rendered at the first guide asked for (most apps serve none)
  let guidePages: Map<string, string> | undefined;
  const guidePage = (slug: string) => {
    guidePages ??= renderGuides(readFileSync(new URL('../../../docs/merchant-guide.md', import.meta.url), 'utf8'), GUIDES, {
      base, snippets, retryFor: retryWindowText(notify.retrySchedule), answerWithin: `${Math.round(notify.timeoutMs / 1000)} seconds`,
    });
    return guidePages.get(slug);
  };
  const router = new Router<AppState>();
  router.get('/api/v1/openapi.json', (ctx) => {
    ctx.body = merchantDoc;
  });
  router.get('/docs/admin/openapi.json', (ctx) => {
    ctx.body = adminDoc;
  });
  const page = (ctx: { type: string; body: unknown }, template: string, data: Record<string, unknown>) => {
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = views.render(template, { base, ...data });
  };
  router.get('/docs', (ctx) => page(ctx, './docs', { guides: GUIDES, errors: ERROR_CATALOGUE }));
  // Redoc's styles are written at run time (styled-components): these two pages allow inline styles, never inline scripts
  router.get('/docs/api', (ctx) => {
    ctx.state.inlineStyles = true;
    page(ctx, './docs-reference', { title: MERCHANT_API.title, specUrl: '/api/v1/openapi.json' });
  });
  router.get('/docs/admin', (ctx) => {
    ctx.state.inlineStyles = true;
    page(ctx, './docs-reference', { title: ADMIN_API.title, specUrl: '/docs/admin/openapi.json' });
  });
  router.get('/docs/guides/:slug', (ctx) => {
    const guide = GUIDES.find((g) => g.slug === ctx.params.slug);
    if (!guide) return;
    page(ctx, './docs-guide', { guide, guides: GUIDES, html: guidePage(guide.slug) });
  });
  return router;
}
