import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestListener } from 'node:http';

export type HttpServer = { server: http.Server; port: number; close(graceMs: number): Promise<void> };

/** Listens, and closes gracefully: no new connections, requests in flight finish, stragglers are cut after the grace period. */
export async function listen(handler: RequestListener, port: number, host?: string): Promise<HttpServer> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close(graceMs) {
      return new Promise<void>((resolve) => {
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
        // keep-alive connections become idle when their last response is sent: close them then, not after the keep-alive timeout
        const sweeper = setInterval(() => server.closeIdleConnections(), 50);
        server.close(() => {
          clearTimeout(timer);
          clearInterval(sweeper);
          resolve();
        });
        server.closeIdleConnections();
      });
    },
  };
}
