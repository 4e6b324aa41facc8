import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The bench's SMS gateway (the `http` contract of docs/operator-guide.md#sms-gateways) and Result receiver on 127.0.0.1:
 * codes are kept by phone for the simulated buyers; Result posts are counted.
 */
export class Sink {
  private codes = new Map<string, string[]>();
  private waiters = new Map<string, ((code: string) => void)[]>();
  results = 0;
  firstResultAt = 0;
  lastResultAt = 0;
  private server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (req.url === '/sms') this.onSms(JSON.parse(body) as { to: string; text: string });
      else if (req.url === '/result') this.onResult();
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"id":"ok"}');
    });
  });

  async start(): Promise<this> {
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The next code sent to this phone (E.164 with +). */
  nextCode(phone: string, timeoutMs = 10_000): Promise<string> {
    const ready = this.codes.get(phone);
    if (ready?.length) return Promise.resolve(ready.shift()!);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no code for ${phone}`)), timeoutMs);
      const list = this.waiters.get(phone) ?? [];
      list.push((code) => {
        clearTimeout(timer);
        resolve(code);
      });
      this.waiters.set(phone, list);
    });
  }

  private onSms(sms: { to: string; text: string }): void {
    const code = /#(\d+)$/.exec(sms.text)?.[1];
    if (!code) return;
    const waiter = this.waiters.get(sms.to)?.shift();
    if (waiter) return waiter(code);
    const list = this.codes.get(sms.to) ?? [];
    list.push(code);
    this.codes.set(sms.to, list);
  }

  private onResult(): void {
    const t = performance.now();
    if (this.results === 0) this.firstResultAt = t;
    this.results += 1;
    this.lastResultAt = t;
  }
}
