import { request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { ChannelSendError, type ChannelSendResult, type MessageChannel, type OutgoingTemplate } from './channel.js';
import { waDigits, whatsappRetryable } from '../domain/messenger.js';

export type WhatsappOptions = { apiUrl: string; token: string; phoneNumberId: string; timeoutMs: number };

/** The answer's id and error sit in its first bytes; a bigger answer is cut there. */
const MAX_ANSWER_BYTES = 16_384;

type GraphAnswer = { messages?: { id?: unknown }[]; error?: { code?: unknown; message?: unknown } };

/**
 * The WhatsApp Business Platform (Cloud API) as used by pywa and whatsapp-api-js; the wire format is that of
 * docs/operator-guide.md#whatsapp-channel. Only template messages: a pay link or receipt may open a conversation.
 */
export class WhatsappChannel implements MessageChannel {
  readonly name = 'whatsapp';

  constructor(private readonly opts: WhatsappOptions) {}

  /** The request body of a template message, field by field as the Cloud API takes it. */
  body(m: OutgoingTemplate): string {
    return JSON.stringify({
      messaging_product: 'whatsapp', // required on every Cloud API send
      recipient_type: 'individual', // one person, not a group
      to: waDigits(m.to), // E.164 digits without '+'
      type: 'template', // outside the 24 h window only templates may be sent
      template: {
        name: m.template.name, // the registered template: WHATSAPP_TEMPLATE_LINK or WHATSAPP_TEMPLATE_RECEIPT
        language: { code: m.lang }, // the buyer's language: a translation of the template registered under that code
        components: [
          { type: 'body', parameters: m.template.body.map((text) => ({ type: 'text', text })) }, // {{1}} amount and currency, {{2}} shop name
          { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: m.template.button }] }, // {{1}} of the button URL: the bare token
        ],
      },
    });
  }

  send(m: OutgoingTemplate): Promise<ChannelSendResult> {
    // POST {API_URL}/{PHONE_NUMBER_ID}/messages with the bearer token; the Graph API version is part of API_URL
    const url = new URL(`${this.opts.apiUrl.replace(/\/$/, '')}/${encodeURIComponent(this.opts.phoneNumberId)}/messages`);
    const body = this.body(m);
    const send = url.protocol === 'https:' ? httpsRequest : request;
    return new Promise((resolve, reject) => {
      let settled = false;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        fn();
        req.destroy();
      };
      const req = send(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), Authorization: `Bearer ${this.opts.token}` },
      }, (res) => {
        const chunks: Buffer[] = [];
        let length = 0;
        const done = () => settle(() => {
          const outcome = outcomeOf(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'));
          if (outcome instanceof ChannelSendError) reject(outcome);
          else resolve({ gateway: this.name, gatewayMessageId: outcome });
        });
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          length += chunk.length;
          if (length >= MAX_ANSWER_BYTES) done();
        });
        res.on('end', done);
        res.on('error', done);
      });
      // a timeout is retried on the outbox schedule (docs/operator-guide.md#whatsapp-channel)
      const deadline = setTimeout(() => settle(() => reject(new ChannelSendError(`WhatsApp gave no answer within ${this.opts.timeoutMs} ms`, true))), this.opts.timeoutMs);
      req.on('error', (err) => settle(() => reject(new ChannelSendError(`WhatsApp unreachable: ${err.message}`, true))));
      req.end(body);
    });
  }
}

/** `messages[0].id` is the message's id; `{error: {code, message}}` is decided by its code, not by the HTTP status. */
function outcomeOf(status: number, text: string): string | ChannelSendError {
  let answer: GraphAnswer | undefined;
  try {
    answer = JSON.parse(text) as GraphAnswer;
  } catch {
    answer = undefined;
  }
  const error = answer?.error;
  if (error || status < 200 || status >= 300) {
    const code = typeof error?.code === 'number' ? error.code : null;
    const message = typeof error?.message === 'string' ? error.message.slice(0, 200) : `HTTP ${status}`;
    return new ChannelSendError(`WhatsApp error ${code ?? status}: ${message}`, whatsappRetryable(code, status), code);
  }
  const id = answer?.messages?.[0]?.id;
  return typeof id === 'string' ? id.slice(0, 200) : new ChannelSendError('WhatsApp answered without a message id', false);
}
