import supertest from 'supertest';
import { loadConfig, type Config } from '../../lib/config.js';
import { createApp, type App } from '../../lib/app.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { ManualClock } from './clock.js';
import { captureLogger } from './log-capture.js';
import type { Logger } from '../../lib/log.js';
import type { SmsGateway } from '../../lib/sms/gateway.js';

export type TestApp = {
  database: TestDatabase;
  config: Config;
  clock: ManualClock;
  log: Logger;
  app: App;
  /** The live gateway the test passed, if any (else live SMS go to the dev inbox too). */
  liveGateway?: SmsGateway;
  http: supertest.Agent;
  admin: (method: 'get' | 'post' | 'patch' | 'delete', path: string) => supertest.Test;
  close(): Promise<void>;
};

/** `clockStart: 'now'` starts the clock when the app starts (a file may run minutes after it was loaded). */
export type TestAppOptions = { config?: Record<string, unknown>; smsGateway?: SmsGateway; random?: () => number; clockStart?: string; demo?: boolean };

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = loadConfig({ NODE_ENV: 'test' }, options.config ?? {});
  const clock = new ManualClock(options.clockStart === 'now' ? new Date().toISOString() : options.clockStart);
  const log = captureLogger();
  const app = createApp({ config, db: database.db, clock, log, smsGateway: options.smsGateway, random: options.random, demo: options.demo });
  const http = supertest.agent(app.koa.callback());
  return {
    database,
    config,
    clock,
    log,
    app,
    liveGateway: options.smsGateway,
    http,
    admin: (method, path) => supertest(app.koa.callback())[method](path).set('Authorization', `Bearer ${config.adminToken}`),
    async close() {
      await app.stop();
      await database.drop();
    },
  };
}

/** Registers before/after hooks: one app and one database for the whole test file. */
export function useTestApp(options: TestAppOptions = {}): TestApp {
  const holder = {} as { current?: TestApp };
  before(async () => {
    holder.current = await startTestApp(options);
  });
  after(async () => {
    await holder.current?.close();
  });
  return new Proxy({} as TestApp, {
    get: (_t, prop) => {
      if (!holder.current) throw new Error('the test app is not started yet (use it inside hooks and tests)');
      return holder.current[prop as keyof TestApp];
    },
  });
}
