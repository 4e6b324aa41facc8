import { request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { OutgoingSms, SendResult, SmsGateway } from './gateway.js';
import { SmsSendError } from './gateway.js';

export type HttpGatewayOptions = { url: string; token: string | null; timeoutMs: number; retries: number; backoffMs: number };

/**
 * The `http` contract of spec §8: POST JSON {to, text, reference} with a bearer token; any 2xx is
 * accepted. 5xx and network errors are retried with backoff; a 4xx is a permanent failure.
 */
export class HttpGateway implements SmsGateway {
  readonly name = 'http';

  constructor(private readonly opts: HttpGatewayOptions) {}

  async send(sms: OutgoingSms): Promise<SendResult> {
    let lastError: SmsSendError | undefined;
    for (let attempt = 0; attempt <= this.opts.retries; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, this.opts.backoffMs * 2 ** (attempt - 1)));
      try {
        return await this.post(sms);
      } catch (err) {
        lastError = err instanceof SmsSendError ? err : new SmsSendError(String(err), true);
        if (!lastError.retryable) break;
      }
    }
    throw lastError!;
  }

  private post(sms: OutgoingSms): Promise<SendResult> {
    const url = new URL(this.opts.url);
    const body = JSON.stringify({ to: sms.to, text: sms.text, reference: sms.reference });
    const send = url.protocol === 'https:' ? httpsRequest : request;
    return new Promise((resolve, reject) => {
      const req = send(
        url,
        {
          method: 'POST',
          timeout: this.opts.timeoutMs,
          headers: {
            'Content-Type': 'application/json',
            'Content-Length': Buffer.byteLength(body),
            ...(this.opts.token ? { Authorization: `Bearer ${this.opts.token}` } : {}),
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            if (text.length < 4096) text += chunk;
          });
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) return resolve({ gateway: this.name, gatewayMessageId: messageIdOf(text) });
            reject(new SmsSendError(`SMS gateway answered ${status}`, status >= 500 || status === 429));
          });
          res.on('error', (err) => reject(new SmsSendError(`SMS gateway response failed: ${err.message}`, true)));
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.opts.timeoutMs} ms`)));
      req.on('error', (err) => reject(new SmsSendError(`SMS gateway unreachable: ${err.message}`, true)));
      req.end(body);
    });
  }
}

/** Gateways that answer JSON with an id let us match later receipts; others are fine too. */
function messageIdOf(text: string): string | null {
  try {
    const parsed = JSON.parse(text) as { id?: unknown; message_id?: unknown };
    const id = parsed.id ?? parsed.message_id;
    return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
  } catch {
    return null;
  }
}
