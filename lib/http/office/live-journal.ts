import { PassThrough } from 'node:stream';
import type { Eta } from 'eta';
import type { AppContext } from '../shared/context.js';
import type { Deps } from '../../use-cases/deps.js';
import { readChangedPayment } from '../../use-cases/office-journal.js';
import { watchPaymentChanges } from '../../use-cases/watch-payments.js';
import { translator, type Lang } from '../../i18n/index.js';
import { SESSION_IDLE_MS } from '../../domain/office.js';
import { format } from './view.js';

type Client = { stream: PassThrough; lang: Lang; openedAt: number };

/**
 * Server-sent events of spec §12: one LISTEN connection per process hears every payment change,
 * reads the payment once and pushes its journal row, rendered in each page's language, to the open
 * journals of that merchant. A stream ends after 30 minutes (the session's idle limit); the page reconnects.
 */
export function liveJournal(deps: Pick<Deps, 'db' | 'log'>, views: Eta) {
  const clients = new Map<string, Set<Client>>();
  let watcher: ReturnType<typeof watchPaymentChanges> | undefined;
  let heartbeat: NodeJS.Timeout | undefined;

  async function changed(merchantId: string, paymentId: string) {
    const audience = clients.get(merchantId);
    if (!audience?.size) return;
    const payment = await readChangedPayment(deps, merchantId, paymentId);
    if (!payment) return;
    const rendered = new Map<Lang, string>();
    for (const client of audience) {
      let html = rendered.get(client.lang);
      if (!html) rendered.set(client.lang, (html = views.render('./office-row', { p: payment, t: translator(client.lang), format })));
      client.stream.write(`event: payment\ndata: ${JSON.stringify({ id: payment.id, status: payment.status, html })}\n\n`);
    }
  }

  function beat() {
    const now = Date.now();
    for (const [merchantId, audience] of clients) {
      for (const client of audience) {
        if (now - client.openedAt >= SESSION_IDLE_MS) client.stream.end();
        else client.stream.write(': keep-alive\n\n');
      }
      if (!audience.size) clients.delete(merchantId);
    }
  }

  return {
    open(ctx: AppContext) {
      watcher ??= watchPaymentChanges(deps, (c) => void changed(c.merchantId, c.paymentId).catch((err) => deps.log.warn({ err }, 'live journal row failed')));
      heartbeat ??= setInterval(beat, 25_000).unref();
      openStream(ctx, clients);
    },
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

/** One page's event stream: registered with its merchant's audience until the browser goes away. */
function openStream(ctx: AppContext, clients: Map<string, Set<Client>>): void {
  const office = ctx.state.office!;
  ctx.req.socket.setTimeout(0);
  ctx.req.socket.setNoDelay(true);
  ctx.set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' });
  const stream = new PassThrough();
  const client: Client = { stream, lang: office.lang, openedAt: Date.now() };
  const merchantId = office.session.user.merchantId;
  const audience = clients.get(merchantId) ?? new Set<Client>();
  clients.set(merchantId, audience.add(client));
  const leave = () => audience.delete(client);
  ctx.req.on('close', leave);
  stream.on('close', leave);
  ctx.status = 200;
  ctx.body = stream;
  stream.write('retry: 2000\n: connected\n\n');
}
