import Router from '@koa/router';
import type { Eta } from 'eta';
import type { AppState } from '../shared/context.js';
import { openApiDocument } from './openapi.js';
import { ERROR_CATALOGUE } from '../../domain/errors.js';

export function docsRoutes(views: Eta, publicUrl: string) {
  const doc = openApiDocument(publicUrl);
  const router = new Router<AppState>();
  router.get('/api/v1/openapi.json', (ctx) => {
    ctx.body = doc;
  });
  router.get('/docs', (ctx) => {
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = views.render('./docs', { doc, errors: ERROR_CATALOGUE });
  });
  return router;
}
