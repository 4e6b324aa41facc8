import Koa from 'koa';
import { bodyParser } from '@koa/bodyparser';
import type { AppState } from './http/context.js';
import { requestContext } from './http/request-context.js';
import { createHttpMetrics } from './http/metrics.js';
import { errorHandler } from './http/problem.js';
import { healthRoutes } from './http/health-routes.js';
import { createViews } from './http/views.js';
import { htmlErrorPage } from './http/pages.js';
import { createJobs, type Jobs } from './jobs/schedule.js';
import { adminRoutes } from './http/admin-routes.js';
import type { Deps } from './use-cases/deps.js';

export type AppDeps = Deps;

export type App = {
  koa: Koa<AppState>;
  jobs: Jobs;
  /** Stops background work; the caller owns the database pool and the HTTP server. */
  stop(): Promise<void>;
};

/** The composition root: plain function calls from config to routers and jobs. */
export function createApp(deps: AppDeps): App {
  const { config, db, log } = deps;
  const metrics = createHttpMetrics();
  const views = createViews();
  const koa = new Koa<AppState>({ proxy: false });
  koa.silent = true; // errors are logged once, by errorHandler, with the request id

  koa.use(requestContext(log, metrics));
  koa.use(errorHandler(htmlErrorPage(views)));
  koa.use(
    bodyParser({
      enableTypes: ['json', 'text'],
      // Forms are parsed with URLSearchParams (flat LMI_* fields, exactly as browsers encode them), not qs.
      extendTypes: { text: ['application/x-www-form-urlencoded'] },
      jsonLimit: config.bodyLimits.json,
      textLimit: config.bodyLimits.form,
      jsonStrict: true,
    }),
  );

  for (const router of [healthRoutes(db, metrics), adminRoutes(deps)]) {
    koa.use(router.routes()).use(router.allowedMethods({ throw: true }));
  }

  const jobs = createJobs(deps);
  return {
    koa,
    jobs,
    stop: () => jobs.stop(),
  };
}
