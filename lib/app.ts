import { createMailer, type Mailer } from './notify/mailer.js';
import { serviceGaugeReaders } from './use-cases/operators/read.js';
import Koa from 'koa';
import { officeRoutes } from './http/office/routes.js';
import { consoleRoutes } from './http/console/routes.js';
import { bodyParser } from '@koa/bodyparser';
import type Router from '@koa/router';
import type { AppState } from './http/shared/context.js';
import type { Deps, PayDeps } from './use-cases/shared/deps.js';
import { ApiKeyCache } from './use-cases/merchants/api-key-cache.js';
import { requestContext } from './http/shared/request-context.js';
import { createHttpMetrics } from './http/shared/metrics.js';
import { errorHandler } from './http/shared/problem.js';
import { securityHeaders } from './http/shared/security-headers.js';
import { refuseNulBytes } from './http/shared/refuse-nul.js';
import { allowedMethods } from './http/shared/allowed-methods.js';
import { healthRoutes } from './http/shared/health-routes.js';
import { createViews } from './http/shared/views.js';
import { htmlErrorPage } from './http/shared/error-page.js';
import { adminRoutes } from './http/admin/routes.js';
import { apiRoutes } from './http/api/routes.js';
import { payPages } from './http/pay/routes.js';
import { meRoutes } from './http/me/routes.js';
import { alertRoutes } from './http/alerts/routes.js';
import { assetRoutes } from './http/shared/asset-routes.js';
import { devRoutes } from './http/dev/inbox-routes.js';
import { keepDevMail, keepDevSms } from './use-cases/messages/dev-inbox.js';
import { docsRoutes } from './http/docs/routes.js';
import { demoRoutes } from './http/dev/demo-routes.js';
import { createJobs, type Jobs } from './jobs/schedule.js';
import { LogGateway } from './sms/log-gateway.js';
import { buildLiveGateway } from './sms/build-gateway.js';
import { createSmsDispatcher, type SmsDispatcher } from './sms/dispatch.js';
import { recordSmsFailed, recordSmsReceipts, recordSmsSent, recordSmsUnknown } from './use-cases/messages/record-sms-outcome.js';
import { createNotifier, type AlertSmsGate, type Notifier } from './use-cases/messages/notifier.js';
import { gateAlertSms } from './use-cases/shops/admit-alert-sms.js';
import type { SmsGateway } from './sms/gateway.js';
import type { AttemptRecord } from './domain/notification.js';
import { buildMessenger } from './messenger/build.js';
import { hookRoutes, rawHookBodies } from './http/hooks/routes.js';
import { passkeysUnavailable } from './domain/passkey.js';

export type AppOptions = Deps & {
  /** Tests pass a recording or failing gateway; otherwise SMS_GATEWAY decides. */
  smsGateway?: SmsGateway;
  random?: () => number;
  /** The demo shop was seeded: mount /demo and the dev inboxes (never otherwise). */
  demo?: boolean;
};

export type App = {
  koa: Koa<AppState>;
  jobs: Jobs;
  sms: SmsDispatcher;
  mailer: Mailer;
  /** The back office's live journal: its open event streams, ended on stop. */
  officeLive: { stop(): Promise<void>; openStreams(): number };
  notifier: Notifier;
  deps: PayDeps;
  /** Stops background work; the caller owns the database pool and the HTTP server. */
  stop(): Promise<void>;
};

/** The composition root: plain function calls from config to routers and jobs. */
export function createApp(options: AppOptions): App {
  const { config, log } = options;
  // the dev inboxes live in the database (every process's messages, the CLI's included); never in production
  const devStore = config.env === 'production' ? undefined : options;
  const devInbox = new LogGateway(log, () => options.clock.now(), devStore && ((m) => keepDevSms(devStore, m)));
  const metrics = createHttpMetrics();
  const recorder = {
    sent: (id: string, gateway: string, gatewayId: string | null, attempt?: AttemptRecord) => (metrics.smsSent(gateway), recordSmsSent(options, id, gateway, gatewayId, attempt)),
    failed: (id: string, error: string, attempt?: AttemptRecord) => (metrics.smsFailed(), recordSmsFailed(options, id, error, attempt)),
    unknown: (id: string, error: string, attempt?: AttemptRecord) => (metrics.smsUnknown(), recordSmsUnknown(options, id, error, attempt)),
    receipts: (batch: Parameters<typeof recordSmsReceipts>[1]) => {
      for (const r of batch) if (r.horizon === undefined) metrics.smsReceipt(r.gateway, r.delivered); // a retry was counted at its first try
      return recordSmsReceipts(options, batch);
    },
    receiptDropped: metrics.smsReceiptDropped,
  };
  const sms = createSmsDispatcher(options, recorder, options.smsGateway ?? buildLiveGateway(config, log, devInbox), devInbox);
  const messenger = buildMessenger(config, log, recorder, devInbox);
  const mailer = createMailer(config, log, () => options.clock.now(), devStore && ((m) => keepDevMail(devStore, m)));
  const alertSmsGate: AlertSmsGate = (alert, message) => gateAlertSms({ ...options, observer: metrics }, alert, message);
  const notifier = createNotifier({ ...options, sms, messenger, mailer, deliveryMetrics: { attempt: metrics.notificationAttempt, receipt: metrics.receiptSent }, alertSmsGate, observer: metrics });
  const deps: PayDeps = { db: options.db, clock: options.clock, config, log, sms, mailer, notifier, random: options.random ?? Math.random, observer: metrics, messenger,
    apiKeys: new ApiKeyCache(config.apiKeyCacheMs) };

  metrics.readFromDatabase(serviceGaugeReaders(deps));
  const views = createViews();
  // docs/security.md#passkeys: on an IP-address PUBLIC_URL no passkey option is offered; say so once, at start
  const noPasskeys = passkeysUnavailable(config.publicUrl);
  if (noPasskeys) log.warn(noPasskeys);
  // behind a trusted proxy the client is the last X-Forwarded-For address (the one that proxy added)
  const koa = new Koa<AppState>({ proxy: config.trustProxy, maxIpsCount: 1 });
  koa.silent = true; // errors are logged once, by errorHandler, with the request id

  koa.use(requestContext(log, metrics));
  koa.use(securityHeaders(config.publicUrl));
  koa.use(errorHandler(htmlErrorPage(views)));
  koa.use(rawHookBodies()); // signed webhooks are checked over their raw bytes, before any parser
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
  koa.use(refuseNulBytes());

  const office = officeRoutes(deps, views);
  const operatorConsole = consoleRoutes(deps, views);
  const routers: Router<AppState>[] = [
    healthRoutes(deps, metrics, config.metricsToken),
    assetRoutes(),
    docsRoutes(views, config.publicUrl, { retrySchedule: config.notifyRetrySchedule, timeoutMs: config.notifyTimeoutMs }),
    adminRoutes(deps),
    apiRoutes(deps),
    payPages(deps, views),
    meRoutes(deps, views).router,
    alertRoutes(deps, views),
    hookRoutes(deps),
    office.router,
    operatorConsole.router,
  ];
  if (options.demo && config.env !== 'production') routers.push(demoRoutes(deps, views), devRoutes(views, deps));
  koa.use(allowedMethods(routers));
  for (const router of routers) koa.use(router.routes());

  const jobs = createJobs(deps);
  return {
    koa,
    jobs,
    sms,
    mailer,
    officeLive: office.live,
    notifier,
    deps,
    async stop() {
      await jobs.stop();
      await office.live.stop();
      await operatorConsole.live.stop();
      await notifier.idle();
      await sms.close();
      mailer.close();
    },
  };
}
