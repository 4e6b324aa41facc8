import http from 'node:http';
import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';

/** What the fake accepted: the template message as the Cloud API takes it. */
export type WhatsappSent = {
  id: string;
  to: string;
  template: string;
  lang: string;
  body: string[];
  button: string;
};

/** How to answer the next send: success, or a Graph error with its code (HTTP status as Meta uses it). */
export type WhatsappAnswer = { ok: true } | { code: number; status?: number; message?: string } | 'hang';

const GRAPH_ERROR_STATUS: Record<number, number> = { 130429: 429, 131056: 429, 131000: 500, 131016: 503, 190: 401 };

/**
 * A strict stand-in for the WhatsApp Cloud API (Graph API) on 127.0.0.1: it takes only
 * `POST /{version}/{phone-number-id}/messages` with the right bearer token and a template body of exactly the
 * shape the platform documents, and refuses anything else with a Graph-style error (code 100), so an adapter
 * that drifts from the real wire format fails here. It records what it accepted, answers as told, and can
 * post status webhooks signed with the app secret to the service.
 */
export class FakeWhatsapp {
  readonly sent: WhatsappSent[] = [];
  readonly refused: { path: string; reason: string }[] = [];
  /** Answers for the next sends, in order; when empty, success. */
  readonly answers: WhatsappAnswer[] = [];
  private seq = 0;
  private server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => this.handle(req, Buffer.concat(chunks).toString('utf8'), res));
  });

  constructor(readonly opts: { token: string; phoneNumberId: string; appSecret: string; version?: string }) {}

  get apiUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/${this.opts.version ?? 'v25.0'}`;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, text: string, res: http.ServerResponse) {
    const graphError = (status: number, code: number, message: string) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: { message, type: 'OAuthException', code, fbtrace_id: 'AfakeTrace' } }));
    };
    const refuse = (reason: string, code = 100, status = 400) => {
      this.refused.push({ path: req.url ?? '', reason });
      graphError(status, code, reason);
    };
    if (req.method !== 'POST' || req.url !== `/${this.opts.version ?? 'v25.0'}/${this.opts.phoneNumberId}/messages`) return refuse(`unsupported ${req.method} ${req.url}`);
    if (req.headers.authorization !== `Bearer ${this.opts.token}`) return refuse('Invalid OAuth access token', 190, 401);
    if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) return refuse('content type must be application/json');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return refuse('body is not JSON');
    }
    const shape = templateOf(body);
    if (typeof shape === 'string') return refuse(shape);
    const answer = this.answers.shift() ?? { ok: true };
    if (answer === 'hang') return;
    if ('code' in answer) return graphError(answer.status ?? GRAPH_ERROR_STATUS[answer.code] ?? 400, answer.code, answer.message ?? `error ${answer.code}`);
    const id = `wamid.FAKE${String(++this.seq).padStart(6, '0')}`;
    this.sent.push({ id, ...shape });
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ messaging_product: 'whatsapp', contacts: [{ input: shape.to, wa_id: shape.to }], messages: [{ id }] }));
  }

  /** Posts a status webhook as Meta does (entry[].changes[].value.statuses[]), signed with the app secret unless told otherwise. */
  async postStatus(
    serviceUrl: string,
    statuses: { id: string; status: 'sent' | 'delivered' | 'read' | 'failed'; recipient: string; errorCode?: number }[],
    opts: { secret?: string; signature?: string } = {},
  ): Promise<{ status: number; body: string }> {
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [{
        id: '102290129340398',
        changes: [{
          field: 'messages',
          value: {
            messaging_product: 'whatsapp',
            metadata: { display_phone_number: '15550783881', phone_number_id: this.opts.phoneNumberId },
            statuses: statuses.map((s) => ({
              id: s.id, status: s.status, timestamp: '1765000000', recipient_id: s.recipient,
              ...(s.errorCode ? { errors: [{ code: s.errorCode, title: `error ${s.errorCode}` }] } : {}),
            })),
          },
        }],
      }],
    });
    const signature = opts.signature ?? `sha256=${createHmac('sha256', opts.secret ?? this.opts.appSecret).update(body).digest('hex')}`;
    const res = await fetch(`${serviceUrl}/hooks/whatsapp`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': signature }, body });
    return { status: res.status, body: await res.text() };
  }
}

const exactKeys = (value: unknown, keys: string[]): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).sort().join() === [...keys].sort().join();

const textParams = (value: unknown): string[] | undefined =>
  Array.isArray(value) && value.every((p) => exactKeys(p, ['type', 'text']) && p.type === 'text' && typeof p.text === 'string' && p.text.length > 0)
    ? value.map((p) => (p as { text: string }).text)
    : undefined;

/** The template message of the Cloud API, key by key; a string says what is wrong. */
function templateOf(b: unknown): Omit<WhatsappSent, 'id'> | string {
  if (!exactKeys(b, ['messaging_product', 'recipient_type', 'to', 'type', 'template'])) return 'unexpected top-level fields';
  if (b.messaging_product !== 'whatsapp' || b.recipient_type !== 'individual' || b.type !== 'template') return 'messaging_product, recipient_type or type is wrong';
  if (typeof b.to !== 'string' || !/^[1-9]\d{6,14}$/.test(b.to)) return '(#100) to must be E.164 digits without +';
  const t = b.template;
  if (!exactKeys(t, ['name', 'language', 'components'])) return 'template needs exactly name, language, components';
  if (typeof t.name !== 'string' || !exactKeys(t.language, ['code']) || typeof t.language.code !== 'string') return 'template name or language is wrong';
  const components = t.components;
  if (!Array.isArray(components) || components.length !== 2) return 'two components expected: body and button';
  const [body, button] = components as unknown[];
  if (!exactKeys(body, ['type', 'parameters']) || body.type !== 'body') return 'the first component must be the body';
  const bodyParams = textParams(body.parameters);
  if (!bodyParams || bodyParams.length !== 2) return 'the body takes two text parameters';
  if (!exactKeys(button, ['type', 'sub_type', 'index', 'parameters']) || button.type !== 'button' || button.sub_type !== 'url' || button.index !== '0') {
    return 'the second component must be the URL button of index "0"';
  }
  const suffix = textParams(button.parameters);
  if (!suffix || suffix.length !== 1 || /[/:?#\s]/.test(suffix[0]!)) return 'the URL button takes one bare token';
  return { to: b.to, template: t.name, lang: t.language.code, body: bodyParams, button: suffix[0]! };
}
