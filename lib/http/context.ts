import type Koa from 'koa';
import type { Logger } from '../log.js';

export type AppState = {
  requestId: string;
  log: Logger;
  /** Hosted pages answer errors with an HTML page instead of problem+json. */
  errorFormat?: 'json' | 'html';
};

export type AppContext = Koa.ParameterizedContext<AppState>;
export type AppMiddleware = Koa.Middleware<AppState>;
