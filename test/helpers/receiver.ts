import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Received = { method: string; path: string; headers: http.IncomingHttpHeaders; body: string };
/** `trickleMs`: the status at once, then one byte of body every trickleMs, never ending; `cut`: the status, then the connection is cut. */
export type Reply = { status: number; body?: string; headers?: Record<string, string>; delayMs?: number; trickleMs?: number; cut?: boolean; endless?: boolean } | 'hang';

/** A real HTTP server on 127.0.0.1 standing in for a merchant: records every request, answers as told. */
export class Receiver {
  readonly requests: Received[] = [];
  connections = 0;
  reply: (req: Received) => Reply = () => ({ status: 200, body: 'OK' });
  private server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const received = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      this.requests.push(received);
      const answer = this.reply(received);
      if (answer === 'hang') return; // never answers; the socket closes when the server stops
      setTimeout(() => {
        res.writeHead(answer.status, answer.headers ?? { 'Content-Type': 'text/plain' });
        if (answer.cut) return res.flushHeaders(), setTimeout(() => res.destroy(), 20);
        if (answer.trickleMs) return this.trickle(res, answer.trickleMs);
        if (answer.endless) return this.endless(res);
        res.end(answer.body ?? '');
      }, answer.delayMs ?? 0);
    });
  });

  private trickle(res: http.ServerResponse, everyMs: number): void {
    const timer = setInterval(() => res.write('x'), everyMs);
    res.on('close', () => clearInterval(timer));
  }

  /** A body with no end, as fast as the client reads it. */
  private endless(res: http.ServerResponse): void {
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const pump = () => {
      while (!res.destroyed && res.write(chunk));
      if (!res.destroyed) res.once('drain', pump);
    };
    pump();
  }

  async start(): Promise<this> {
    this.server.on('connection', () => (this.connections += 1));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  url(path = '/result'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Waits (in real time, for real sockets) until `count` requests arrived. */
  async waitFor(count: number, timeoutMs = 10_000): Promise<Received[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.requests.length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} requests, got ${this.requests.length}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.requests;
  }
}
