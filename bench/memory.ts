import type { BenchMerchant } from './setup.js';
import { signIn } from './office-sign-in.js';

type Rss = () => number;

// order numbers of this run: unique across runs on the same database, integers up to 2,147,483,647 as LMI_PAYMENT_NO must be
const RUN = Math.floor(Date.now() / 1000) % 100_000;

/**
 * Issue 23's memory figures: the service's RSS with 1,000 buyers on the hosted page (each posted
 * the Merchant Interface form and holds the page's cookie) and then with 100 back-office event
 * streams open at once (each a live SSE connection of a signed-in owner).
 */
export async function openSessionsAndStreams(
  baseUrl: string,
  merchants: BenchMerchant[],
  office: { email: string; password: string },
  rss: Rss,
  counts = { sessions: 1000, streams: 100 },
): Promise<{ rssBeforeMb: number; rssWithSessionsMb: number; rssWithStreamsMb: number; sessions: number; streams: number; failures: string[] }> {
  const rssBeforeMb = rss();
  let sessions = 0;
  const failures: string[] = [];
  for (let i = 0; i < counts.sessions; i += 50) {
    const batch = Array.from({ length: Math.min(50, counts.sessions - i) }, (_, j) => openHostedPage(baseUrl, merchants[(i + j) % merchants.length]!, i + j));
    for (const outcome of await Promise.all(batch)) if (outcome === true) sessions += 1; else failures.push(outcome);
  }
  const rssWithSessionsMb = rss();

  const session = await signIn(baseUrl, office);
  const controller = new AbortController();
  const opened = await Promise.all(Array.from({ length: counts.streams }, () => openStream(baseUrl, session, controller.signal)));
  const streams = opened.filter(Boolean).length;
  await new Promise((r) => setTimeout(r, 500));
  const rssWithStreamsMb = rss();
  controller.abort();
  return { rssBeforeMb, rssWithSessionsMb, rssWithStreamsMb, sessions, streams, failures: failures.slice(0, 5) };
}

/** A buyer's browser: the form posted, the page read with the cookie the service set. */
async function openHostedPage(baseUrl: string, merchant: BenchMerchant, n: number): Promise<true | string> {
  const posted = await fetch(`${baseUrl}/lmi/payment`, {
    method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ LMI_PAYEE_PURSE: merchant.purse, LMI_PAYMENT_AMOUNT: '1.00', LMI_PAYMENT_NO: String(RUN * 10_000 + n), LMI_PAYMENT_DESC: 'memory bench' }).toString(),
  });
  const location = posted.headers.get('location');
  if (posted.status !== 303 || !location) return `form ${posted.status}: ${(await posted.text()).replace(/\s+/g, ' ').slice(0, 200)}`;
  const cookie = posted.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const page = await fetch(new URL(location, baseUrl), { headers: { Cookie: cookie } });
  await page.arrayBuffer();
  return page.status === 200 || `page ${page.status}`;
}

/** An open event stream: resolved once its first bytes arrived, kept open until the signal aborts. */
async function openStream(baseUrl: string, session: string, signal: AbortSignal): Promise<boolean> {
  const res = await fetch(`${baseUrl}/office/events`, { headers: { Cookie: session, Accept: 'text/event-stream' }, signal });
  if (res.status !== 200 || !res.body) return false;
  const reader = res.body.getReader();
  await reader.read();
  // keep reading (so the connection stays open and drained) until the bench aborts it
  void (async () => {
    try {
      while (!(await reader.read()).done);
    } catch {
      /* aborted */
    }
  })();
  return true;
}
