import { PassThrough } from 'node:stream';
import type { Mode } from '../../domain/ledger.js';
import type { Eta } from 'eta';
import type { AppContext } from '../shared/context.js';
import type { Deps } from '../../use-cases/shared/deps.js';
import { readChangedPayment } from '../../use-cases/office/journal.js';
import { watchPaymentChanges } from '../../use-cases/payments/watch-payments.js';
import { sessionsLapsingAt } from '../../use-cases/office/session-ends.js';
import { translator, type Lang } from '../../i18n/index.js';
import { SESSION_IDLE_MS } from '../../domain/user.js';
import { format } from './view.js';

/** `session`: the token hash of the stream's session. */
type Client = { stream: PassThrough; lang: Lang; openedAt: number; session: string; mode?: Mode };

/** The audience key of the console's streams: they hear every merchant's payments. */
export const EVERY_MERCHANT = '*';

/** Whose page a stream serves: the row template and, from the signed-in state, its language, session and merchant (or EVERY_MERCHANT). */
export type LiveAudience = { row: string; whoOf: (ctx: AppContext) => { lang: Lang; session: string; key: string; mode?: Mode } };

const OFFICE: LiveAudience = {
  row: './office-row',
  whoOf: (ctx) => {
    const office = ctx.state.office!;
    return { lang: office.lang, session: office.session.tokenHash, key: office.session.user.merchantId, mode: office.mode };
  },
};

/**
 * Server-sent events of docs/merchant-guide.md#back-office: one LISTEN connection per process hears every payment change,
 * reads the payment once and pushes its journal row, rendered in each page's language, to the open
 * journals of that merchant. A stream ends with its session: at once when the session's row goes
 * (sign-out, a disabled user: announced by PostgreSQL to every instance), and when it idles out
 * (checked before each event and at each keep-alive). It also ends after 30 minutes; the page reconnects.
 */
export function liveJournal(deps: Pick<Deps, 'db' | 'log' | 'clock'>, views: Eta, pages: LiveAudience = OFFICE) {
  const clients = new Map<string, Set<Client>>();
  let watcher: ReturnType<typeof watchPaymentChanges> | undefined;
  let heartbeat: NodeJS.Timeout | undefined;

  const endSessions = (tokenHashes: Iterable<string>) => endStreamsOf(clients, tokenHashes);
  const stillOpen = (audience: Iterable<Client>) => withOpenSession(deps, audience);

  async function changed(merchantId: string, paymentId: string) {
    const audience = new Set([...(clients.get(merchantId) ?? []), ...(clients.get(EVERY_MERCHANT) ?? [])]);
    if (!audience.size) return;
    const payment = await readChangedPayment(deps, merchantId, paymentId);
    if (!payment) return;
    const rendered = new Map<Lang, string>();
    for (const client of await stillOpen(audience)) {
      // a live journal never shows a test payment, nor a test journal a live one (docs/merchant-guide.md#test-mode)
      if (client.mode && client.mode !== payment.mode) continue;
      let html = rendered.get(client.lang);
      if (!html) rendered.set(client.lang, (html = views.render(pages.row, { p: payment, t: translator(client.lang), format })));
      client.stream.write(`event: payment\ndata: ${JSON.stringify({ id: payment.id, status: payment.status, html })}\n\n`);
    }
  }

  async function beat() {
    const now = Date.now();
    for (const [merchantId, audience] of clients) {
      for (const client of await stillOpen(audience)) {
        if (now - client.openedAt >= SESSION_IDLE_MS) client.stream.end();
        else client.stream.write(': keep-alive\n\n');
      }
      if (!audience.size) clients.delete(merchantId);
    }
  }

  return {
    open(ctx: AppContext) {
      watcher ??= watchPaymentChanges(deps, (c) => void changed(c.merchantId, c.paymentId).catch((err) => deps.log.warn({ err }, 'live journal row failed')),
        (tokenHash) => endSessions([tokenHash]));
      heartbeat ??= setInterval(() => void beat().catch((err) => deps.log.warn({ err }, 'live journal keep-alive failed')), 25_000).unref();
      openStream(ctx, clients, pages.whoOf(ctx));
    },
    endSessions,
    openStreams: () => [...clients.values()].reduce((n, s) => n + s.size, 0),
    /** Ends every stream and stops listening (shutdown); a page that connects again starts it anew. */
    async stop() {
      if (heartbeat) clearInterval(heartbeat);
      heartbeat = undefined;
      for (const audience of clients.values()) for (const client of audience) client.stream.end();
      clients.clear();
      const stopping = watcher;
      watcher = undefined;
      await stopping?.stop();
    },
  };
}

/** Ends the streams of these sessions (their rows are gone). */
function endStreamsOf(clients: Map<string, Set<Client>>, tokenHashes: Iterable<string>): void {
  const ended = new Set(tokenHashes);
  for (const audience of clients.values()) for (const client of audience) if (ended.has(client.session)) client.stream.end();
}

/**
 * The clients of an audience whose session is still open, read before each event and keep-alive
 * (an announcement of a session's end can be missed while the LISTEN connection is down); the others end.
 */
async function withOpenSession(deps: Pick<Deps, 'db' | 'clock'>, audience: Iterable<Client>): Promise<Client[]> {
  const now = deps.clock.now().getTime();
  const all = [...audience];
  const lapsing = all.length ? await sessionsLapsingAt(deps, [...new Set(all.map((c) => c.session))]) : new Map<string, number>();
  for (const client of all) {
    const until = lapsing.get(client.session);
    if (until === undefined || until <= now) client.stream.end();
  }
  return all.filter((c) => !c.stream.writableEnded);
}

/** One page's event stream: registered with its merchant's audience until the browser goes away. */
function openStream(ctx: AppContext, clients: Map<string, Set<Client>>, who: ReturnType<LiveAudience['whoOf']>): void {
  ctx.req.socket.setTimeout(0);
  ctx.req.socket.setNoDelay(true);
  ctx.set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' });
  const stream = new PassThrough();
  const client: Client = { stream, lang: who.lang, openedAt: Date.now(), session: who.session, mode: who.mode };
  const audience = clients.get(who.key) ?? new Set<Client>();
  clients.set(who.key, audience.add(client));
  const leave = () => audience.delete(client);
  ctx.req.on('close', leave);
  stream.on('close', leave);
  ctx.status = 200;
  ctx.body = stream;
  stream.write('retry: 2000\n: connected\n\n');
}
