import type { RidingHit } from '../../use-cases/limits/riding-hits.js';
import type Koa from 'koa';
import type { Logger } from '../../log.js';
import type { Knex } from '../../postgres/db.js';
import type { OfficeState } from '../office/state.js';
import type { ConsoleState } from '../console/state.js';
import type { MeState } from '../me/state.js';
import type { Merchant } from '../../domain/merchant.js';

export type AppState = {
  requestId: string;
  log: Logger;
  /** Hosted pages answer errors with an HTML page instead of problem+json. */
  errorFormat?: 'json' | 'html';
  /** The merchant an API key authenticated. */
  merchant?: Merchant;
  /** The id of that API key (the "client" of the limits on the API, docs/merchant-guide.md#abuse-limits). */
  apiKeyId?: string;
  /** The API key's rate hit, counted by the route's money statement (docs/architecture.md#money-statements). */
  apiHit?: RidingHit;
  /** The request's Idempotency-Key, once claimed. */
  idempotencyKey?: string;
  /** Stores the answer that key replays, inside the action's own transaction (see answerNote). */
  keepAnswer?: (trx: Knex.Transaction, status: number, body: unknown) => Promise<void>;
  /** Origins a page's forms may post (or redirect) to, besides our own: the shop's Success/Fail URLs. */
  formOrigins?: string[];
  /** The API reference page only: Redoc (styled-components) writes its CSS at run time; scripts stay 'self'. */
  inlineStyles?: boolean;
  /** The payment a request created or found by something other than its path (for the access log line). */
  paymentId?: string;
  /** The posted form's one-time token (docs/merchant-guide.md#back-office "Acting once"), checked and not yet spent (action-tokens.ts). */
  actionToken?: { token: string; hash: string };
  /** The signed-in back-office user, with the page language (lib/http/office). */
  office?: OfficeState;
  /** The signed-in operator user, with the page language (lib/http/console). */
  console?: ConsoleState;
  /** The signed-in buyer of /me, with the page language (lib/http/me). */
  me?: MeState;
};

export type AppContext = Koa.ParameterizedContext<AppState>;
export type AppMiddleware = Koa.Middleware<AppState>;
