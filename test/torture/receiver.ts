import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** The merchant's Result URL: counts every notification it receives by LMI_SYS_INVS_NO, and always answers 200. */
export class ResultReceiver {
  readonly received = new Map<string, number>();
  private server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c));
    req.on('end', () => {
      const invoice = new URLSearchParams(body).get('LMI_SYS_INVS_NO');
      if (invoice) this.received.set(invoice, (this.received.get(invoice) ?? 0) + 1);
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('OK');
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/result`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
