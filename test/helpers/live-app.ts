import { startTestApp, type TestApp, type TestAppOptions } from './test-app.js';
import { freePort } from '../../tools/postgres.js';
import { listen, type HttpServer } from '../../lib/server.js';

export type LiveApp = TestApp & { url: string; close(): Promise<void> };

/**
 * The app on a real port of 127.0.0.1, for a real browser; PUBLIC_URL is that address, or `http://localhost:PORT` with
 * `host: 'localhost'` (WebAuthn refuses IP addresses: launch the browser with LOCALHOST_TO_LOOPBACK then).
 */
export async function startLiveApp(options: TestAppOptions & { host?: 'localhost' } = {}): Promise<LiveApp> {
  const port = await freePort();
  const url = `http://${options.host ?? '127.0.0.1'}:${port}`;
  const t = await startTestApp({ ...options, config: { ...options.config, publicUrl: url } });
  const server: HttpServer = await listen(t.app.koa.callback(), port, '127.0.0.1');
  const closeApp = t.close;
  return Object.assign(t, {
    url,
    async close() {
      await server.close(1000);
      await closeApp();
    },
  });
}
