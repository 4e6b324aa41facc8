import { request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { OutgoingSms, SendResult, SmsGateway } from './gateway.js';
import { SmsSendError } from './gateway.js';

/**
 * `timeoutMs`: one deadline for a whole try (connect, headers and body). `idempotent`
 * (SMS_HTTP_IDEMPOTENT): the gateway takes `reference` as an idempotency key, so a try whose
 * outcome is unknown may be sent again.
 */
export type HttpGatewayOptions = { url: string; token: string | null; timeoutMs: number; retries: number; backoffMs: number; idempotent?: boolean };

/** The answer's first bytes hold the id; the rest is never read. */
const MAX_ANSWER_BYTES = 4096;

/** The longest one send can take: every try at its deadline, and the backoffs between them. */
export function httpWorstSendMs(o: Pick<HttpGatewayOptions, 'timeoutMs' | 'retries' | 'backoffMs'>): number {
  let backoff = 0;
  for (let attempt = 1; attempt <= o.retries; attempt++) backoff += o.backoffMs * 2 ** (attempt - 1);
  return (o.retries + 1) * o.timeoutMs + backoff;
}

/**
 * The `http` contract of docs/operator-guide.md#sms-gateways: POST JSON {to, text, reference} with a bearer token; any 2xx is
 * accepted (from its status line on: a body that trickles or breaks does not undo it). A try that
 * never reached the gateway, a 429 or a 503 is retried with backoff; a 3xx or 4xx is final. Once the
 * body went out and no clear answer came back (no answer by the deadline, a cut connection, another
 * 5xx), the message may be out: it is not sent again (unless the gateway is idempotent) and the
 * failure says so (`ambiguous`).
 */
export class HttpGateway implements SmsGateway {
  readonly name = 'http';
  readonly worstSendMs: number;

  constructor(private readonly opts: HttpGatewayOptions) {
    this.worstSendMs = httpWorstSendMs(opts);
  }

  async send(sms: OutgoingSms): Promise<SendResult> {
    let lastError: SmsSendError | undefined;
    for (let attempt = 0; attempt <= this.opts.retries; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, this.opts.backoffMs * 2 ** (attempt - 1)));
      try {
        return await this.post(sms);
      } catch (err) {
        const failure = err instanceof SmsSendError ? err : new SmsSendError(String(err), true);
        // an earlier try that may have gone out keeps the send ambiguous, whatever later tries say
        lastError = lastError?.ambiguous && !failure.ambiguous ? new SmsSendError(failure.message, failure.retryable, true) : failure;
        if (!failure.retryable) break;
      }
    }
    throw lastError!;
  }

  private post(sms: OutgoingSms): Promise<SendResult> {
    const url = new URL(this.opts.url);
    const body = JSON.stringify({ to: sms.to, text: sms.text, reference: sms.reference });
    const send = url.protocol === 'https:' ? httpsRequest : request;
    const idempotent = this.opts.idempotent === true;
    return new Promise((resolve, reject) => {
      let bodySent = false;
      let settled = false;
      let accept: (() => void) | undefined;
      const settle = (fn: () => void, cut: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        fn();
        if (cut) req.destroy();
      };
      /** A failure before the body left is safe to retry; after it, only an idempotent gateway may get the message again. */
      const fail = (message: string) => settle(() => reject(
        bodySent ? new SmsSendError(`${message} (the message may have been sent)`, idempotent, true) : new SmsSendError(message, true),
      ), true);
      const req = send(
        url,
        {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            'Content-Length': Buffer.byteLength(body),
            ...(this.opts.token ? { Authorization: `Bearer ${this.opts.token}` } : {}),
          },
        },
        (res) => {
          const status = res.statusCode ?? 0;
          if (status < 200 || status >= 300) {
            // 429 and 503 say "not taken, try later", a 3xx or 4xx "not taken"; another 5xx may hide a message that went out
            const notTaken = status < 500 || status === 503;
            const retry = status === 429 || status === 503 || (status >= 500 && idempotent);
            return settle(() => reject(new SmsSendError(`SMS gateway answered ${status}`, retry, !notTaken)), true);
          }
          const chunks: Buffer[] = [];
          let length = 0;
          const done = (cut: boolean) => settle(() => resolve({ gateway: this.name, gatewayMessageId: messageIdOf(Buffer.concat(chunks).toString('utf8')) }), cut);
          // the status line said 2xx: the gateway took it, whatever happens to the rest of the answer
          accept = () => done(true);
          res.on('data', (chunk: Buffer) => {
            chunks.push(chunk);
            length += chunk.length;
            if (length >= MAX_ANSWER_BYTES) done(true);
          });
          res.on('end', () => done(false));
          res.on('error', accept);
          res.on('close', accept);
        },
      );
      const deadline = setTimeout(() => (accept ? accept() : fail(`no answer within ${this.opts.timeoutMs} ms`)), this.opts.timeoutMs);
      req.on('finish', () => (bodySent = true));
      req.on('error', (err) => (accept ? accept() : fail(`SMS gateway unreachable: ${err.message}`)));
      req.end(body);
    });
  }
}

/** Gateways that answer JSON with an id let us match later receipts; others are fine too. */
function messageIdOf(text: string): string | null {
  try {
    const parsed = JSON.parse(text) as { id?: unknown; message_id?: unknown };
    const id = parsed.id ?? parsed.message_id;
    return typeof id === 'string' || typeof id === 'number' ? String(id).slice(0, 100) : null;
  } catch {
    return null;
  }
}
