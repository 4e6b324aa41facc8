import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { capturedLogLines } from './log-capture.js';

export type ReceivedMail = { rcpt: string[]; raw: string; parsed: ParsedMail; /** came over TLS (implicit or STARTTLS) */ secure: boolean };

/**
 * Plain SMTP by default. With a certificate: `implicit` is TLS from the first byte (smtps://, port
 * 465 style), `starttls` offers STARTTLS on a plain connection (smtp://, port 587 style).
 */
export type SinkTls = { mode: 'implicit' | 'starttls'; key: string; cert: string };

/**
 * A real SMTP server on 127.0.0.1 (the `smtp-server` package) that keeps every message it accepts.
 * It can be stopped and started again on the same port, as a mail server that is down for a while.
 * Every raw message joins the lines the suite's leak check searches for secrets and codes.
 */
export class SmtpSink {
  readonly mails: ReceivedMail[] = [];
  private server?: SMTPServer;
  port = 0;

  constructor(private readonly tls?: SinkTls) {}

  async start(): Promise<this> {
    const tls = this.tls;
    this.server = new SMTPServer({
      authOptional: true,
      // without a certificate: plain SMTP on loopback
      ...(tls ? { key: tls.key, cert: tls.cert, secure: tls.mode === 'implicit' } : { disabledCommands: ['STARTTLS'] }),
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', async () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          capturedLogLines.push(raw);
          this.mails.push({ rcpt: session.envelope.rcptTo.map((r) => r.address), raw, parsed: await simpleParser(raw), secure: session.secure });
          callback();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get url(): string {
    return `${this.tls?.mode === 'implicit' ? 'smtps' : 'smtp'}://127.0.0.1:${this.port}`;
  }

  to(address: string): ReceivedMail[] {
    return this.mails.filter((m) => m.rcpt.includes(address));
  }
}
