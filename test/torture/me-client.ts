import pg from 'pg';

/**
 * A buyer at /me as a browser is one (docs/buyer-guide.md#me--the-buyers-wallet-page), for the torture's voucher
 * redemptions: signs the phone in with the SMS code (what its phone got), keeps the session's cookies,
 * renders the redeem form and posts it. A request with no answer (killed) or a 503 (database away) is posted again as
 * is, with the same one-time form token, as a browser's reload would. Codes are never put in a path or a message.
 */
export type MeOptions = {
  url: string;
  random: () => number;
  patienceMs: number;
  /** Every answer's label (`/me 303`, `/me no answer`), for the phase's status counts. */
  count: (label: string) => void;
  violation: (text: string) => void;
  /** The phone's newest sign-in SMS text, as its phone would show it. */
  signInSms: (phone: string) => Promise<string | undefined>;
};

type Jar = Map<string, string>;
type Page = { status: number; text: string; location: string | null };
/** A signed-in phone's cookies and a fresh rendering of its redeem form. */
export type RedeemForm = { phone: string; jar: Jar; csrf: string; once: string };
/** `redeemed`: the service said so (303 to /me?redeemed=1); anything else is a refusal's status or no answer. */
export type RedeemOutcome = 'redeemed' | `refused ${number}` | 'no answer';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1];

export function meClient(o: MeOptions) {
  const sessions = new Map<string, Promise<Jar | undefined>>();

  async function send(method: 'GET' | 'POST', path: string, jar: Jar, form?: Record<string, string>): Promise<Page | undefined> {
    const deadline = Date.now() + o.patienceMs;
    while (Date.now() < deadline) {
      const page = await fetch(`${o.url}${path}`, {
        method, redirect: 'manual', signal: AbortSignal.timeout(15_000),
        headers: { Accept: 'text/html', Cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '), ...(form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}) },
        body: form ? new URLSearchParams(form).toString() : undefined,
      }).then(async (res) => {
        for (const cookie of res.headers.getSetCookie()) {
          const [pair] = cookie.split(';');
          const at = pair!.indexOf('=');
          jar.set(pair!.slice(0, at), pair!.slice(at + 1));
        }
        return { status: res.status, text: await res.text(), location: res.headers.get('location') };
      }, () => undefined);
      o.count(`/me ${page ? page.status : 'no answer'}`);
      if (page && page.status >= 500 && page.status !== 503) o.violation(`${method} ${path}: ${page.status}`);
      if (page && page.status !== 503) return page;
      await pause(100 + o.random() * 300);
    }
    o.violation(`${method} ${path}: no answer within ${o.patienceMs} ms`);
    return undefined;
  }

  async function signInCode(phone: string): Promise<string | undefined> {
    for (let i = 0; i < 20; i++) {
      const code = /\d{4,8}/.exec((await o.signInSms(phone)) ?? '')?.[0];
      if (code) return code;
      await pause(100);
    }
    return undefined;
  }

  // phone, then code; a lost answer or a killed sign-in starts over (a new code waits out the 30 s resend cooldown)
  async function signIn(phone: string): Promise<Jar | undefined> {
    const deadline = Date.now() + o.patienceMs;
    while (Date.now() < deadline) {
      const jar: Jar = new Map();
      const login = await send('GET', '/me/login', jar);
      const csrf = login && csrfOf(login.text);
      if (!csrf) return undefined;
      const asked = await send('POST', '/me/login', jar, { _csrf: csrf, phone });
      const code = asked && (asked.status === 200 || asked.status === 429) ? await signInCode(phone) : undefined;
      const done = code ? await send('POST', '/me/login/code', jar, { _csrf: csrf, phone, code }) : undefined;
      if (done?.status === 303 && done.location === '/me' && jar.get('tp_me')) return jar;
      await pause(1000 + o.random() * 2000);
    }
    return undefined;
  }

  /** The phone's session (signed in once, then kept) and a fresh redeem form of its /me page. */
  async function redeemForm(phone: string): Promise<RedeemForm | undefined> {
    if (!sessions.has(phone)) sessions.set(phone, signIn(phone));
    const jar = await sessions.get(phone)!;
    const page = jar && (await send('GET', '/me', jar));
    if (!jar || page?.status !== 200) {
      sessions.delete(phone);
      return undefined;
    }
    const csrf = csrfOf(page.text);
    const once = /action="\/me\/redeem"[\s\S]*?name="_once" value="([^"]+)"/.exec(page.text)?.[1];
    return csrf && once ? { phone, jar, csrf, once } : undefined;
  }

  /** Posts the form with the code, again as is until it gets an answer. */
  async function redeem(form: RedeemForm, code: string): Promise<RedeemOutcome> {
    const answer = await send('POST', '/me/redeem', form.jar, { _csrf: form.csrf, _once: form.once, voucher: code });
    if (!answer) return 'no answer';
    if (answer.status === 303 && answer.location === '/me?redeemed=1') return 'redeemed';
    if (answer.status === 401) sessions.delete(form.phone);
    return `refused ${answer.status}`;
  }

  return { redeemForm, redeem };
}

/**
 * The phones' SMS as the log gateway keeps them outside production (dev_inbox, what /dev/sms shows): the newest sign-in
 * message of a phone (one naming no payment). While the database is away there is none yet.
 */
export function devInbox(databaseUrl: string) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  pool.on('error', () => {}); // an idle client cut by a database restart
  return {
    signInSms: async (phone: string): Promise<string | undefined> => {
      const { rows } = await pool.query<{ text: string }>(
        `select text from dev_inbox where kind = 'sms' and recipient = $1 and payment_id is null order by seq desc limit 1`, [phone]).catch(() => ({ rows: [] }));
      return rows[0]?.text;
    },
    end: () => pool.end(),
  };
}
