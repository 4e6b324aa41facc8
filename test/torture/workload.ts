import { meClient, type RedeemForm } from './me-client.js';

/**
 * The torture load: clients paying, confirming, capturing, voiding, refunding and asking for payouts
 * through the JSON API while the service or its database is being broken. Each request is retried
 * with the same Idempotency-Key until it gets an answer (a killed service, a 503), as a merchant's
 * server would; only answers are recorded as acknowledgements. Buyers redeem the vouchers issued here at /me.
 */
export type Ack = {
  id: string;
  capture: 'automatic' | 'manual';
  /** What the service answered 2xx to, in order. */
  confirmed?: string;
  captured?: string;
  voided?: boolean;
  refunded: number;
};

export type LoadReport = {
  operations: number;
  acks: Map<string, Ack>;
  statuses: Record<string, number>;
  /** A 500, or an answer that contradicts an earlier one: each is a violation. */
  violations: string[];
  payouts: number;
  /** docs/operator-guide.md#vouchers-and-cash-in: voucher batches (id → count) and voids the operator API answered 2xx to. */
  vouchers: VoucherReport;
};

/** Each redemption /me answered "redeemed" to, with the phone that posted it; `codes` are secrets, never printed. */
export type VoucherReport = {
  batches: Map<string, number>;
  voided: Set<string>;
  redeemed: { voucherId: string; phone: string }[];
  /** Redeem posts sent, and codes posted by two at the same moment (two buyers, or a buyer and the operator's void). */
  tries: number;
  races: number;
  /** Races of a void and a redemption of one voucher that the redemption won (the void then finds it redeemed). */
  redeemedBeforeVoid: number;
  codes: Set<string>;
};

export type LoadOptions = {
  url: string;
  apiKey: string;
  purse: string;
  phones: string[];
  payments: number;
  clients: number;
  random: () => number;
  /** A request is given up (and reported) when it finds no answer within this time. */
  patienceMs?: number;
  /** Keeps paying past `payments` until this says the faults it waits for have happened. */
  faultsDone?: () => boolean;
  /** The phase's bound in time: no new payment starts after it (a run that reaches it reports a violation). */
  maxSeconds?: number;
  /** With it, some clients also issue voucher batches and void vouchers through the operator API, and redeem them at /me. */
  adminToken?: string;
  /** WALLET_SIGNUP=open: some vouchers are redeemed by phones the service has never seen. */
  newPhones?: boolean;
  /** A phone's newest sign-in SMS (for /me); without it vouchers are issued and voided, never redeemed. */
  signInSms?: (phone: string) => Promise<string | undefined>;
};

type Answer = { status: number; body: any };

export async function runLoad(o: LoadOptions): Promise<LoadReport> {
  const report: LoadReport = {
    operations: 0, acks: new Map(), statuses: {}, violations: [], payouts: 0,
    vouchers: { batches: new Map(), voided: new Set(), redeemed: [], tries: 0, races: 0, redeemedBeforeVoid: 0, codes: new Set() },
  };
  const patience = o.patienceMs ?? 60_000;
  const me = o.signInSms && meClient({
    url: o.url, random: o.random, patienceMs: patience, signInSms: o.signInSms, violation: (text) => report.violations.push(text),
    count: (label) => ((report.operations += 1), (report.statuses[label] = (report.statuses[label] ?? 0) + 1)),
  });
  let newPhoneCount = 0;

  async function call(method: string, path: string, body: unknown, key?: string, token = o.apiKey): Promise<Answer | undefined> {
    const deadline = Date.now() + patience;
    while (Date.now() < deadline) {
      report.operations += 1;
      const answer = await fetch(`${o.url}${path}`, {
        method,
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...(key ? { 'Idempotency-Key': key } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      }).then(async (res): Promise<Answer> => ({ status: res.status, body: await res.json().catch(() => null) }), () => undefined);
      const label = answer ? `${answer.status}${answer.status >= 400 && answer.body?.code ? ` ${answer.body.code}` : ''}` : 'no answer';
      report.statuses[label] = (report.statuses[label] ?? 0) + 1;
      if (answer && answer.status >= 500 && answer.status !== 503) report.violations.push(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
      // no answer (killed), 503 (database away) and a key still held by a request that died: try again, same key
      const again = !answer || answer.status === 503 || (answer.status === 409 && answer.body?.code === 'idempotency_key_in_flight');
      if (!again) return answer;
      await new Promise((r) => setTimeout(r, 100 + o.random() * 300));
    }
    report.violations.push(`${method} ${path}: no answer within ${patience} ms`);
    return undefined;
  }

  async function codeFor(paymentId: string, phone: string): Promise<string | undefined> {
    for (let i = 0; i < 20; i++) {
      const inbox = await call('GET', `/api/v1/test/sms?phone=${encodeURIComponent(phone)}`, undefined);
      const sms = (inbox?.body?.data ?? []).find((m: { payment_id: string; code: string | null }) => m.payment_id === paymentId && m.code);
      if (sms) return sms.code;
      await new Promise((r) => setTimeout(r, 100));
    }
    return undefined;
  }

  async function pay(client: number, n: number) {
    const phone = o.phones[client % o.phones.length]!;
    const manual = o.random() < 0.25;
    const cents = 100 + Math.floor(o.random() * 900);
    const amount = (cents / 100).toFixed(2);
    const tag = `c${client}-p${n}`;
    const created = await call('POST', '/api/v1/payments', { payee_purse: o.purse, amount, phone, ...(manual ? { capture: 'manual' } : {}) }, `${tag}-create`);
    if (created?.status !== 201 && created?.status !== 200) return;
    const ack: Ack = { id: created.body.id, capture: manual ? 'manual' : 'automatic', refunded: 0 };
    report.acks.set(ack.id, ack);
    const code = await codeFor(ack.id, phone);
    if (!code) return;
    const confirmed = await call('POST', `/api/v1/payments/${ack.id}/confirm`, { code }, `${tag}-confirm`);
    if (confirmed?.status !== 200) return;
    ack.confirmed = confirmed.body.status;
    if (manual) {
      if (o.random() < 0.5) {
        const take = o.random() < 0.5 ? amount : ((cents - 50) / 100).toFixed(2);
        const captured = await call('POST', `/api/v1/payments/${ack.id}/capture`, { amount: take }, `${tag}-capture`);
        if (captured?.status === 200) ack.captured = captured.body.amount_captured;
      } else {
        const voided = await call('POST', `/api/v1/payments/${ack.id}/void`, {}, `${tag}-void`);
        if (voided?.status === 200) ack.voided = true;
      }
    }
    if ((ack.confirmed === 'succeeded' || ack.captured) && o.random() < 0.3) {
      const refund = await call('POST', `/api/v1/payments/${ack.id}/refunds`, { amount: '0.50' }, `${tag}-refund`);
      if (refund?.status === 201) ack.refunded += 50;
    }
    if (o.adminToken && n % 12 === 5) await vouchers(client, tag, o.adminToken);
    if (o.random() < 0.02) {
      const payout = await call('POST', '/api/v1/payouts', { purse: o.purse }, `${tag}-payout`);
      if (payout?.status === 201) report.payouts += 1;
    }
  }

  // a batch of three: the first voided (sometimes as a buyer redeems it), the second redeemed (sometimes by two buyers at
  // once), the third left active for the float; each call retried with its key across kills, so each happens once
  async function vouchers(client: number, tag: string, token: string) {
    const batch = await call('POST', '/admin/v1/vouchers', { currency: 'USD', amount: '1.00', count: 3, mode: 'test' }, `${tag}-vouchers`, token);
    if (batch?.status !== 201) return;
    const issued = batch.body.vouchers as { id: string; code: string | null }[];
    report.vouchers.batches.set(batch.body.batch_id, issued.length);
    // a replayed answer (the first one was lost to a kill) names the batch, never its codes: those vouchers stay unredeemed
    for (const v of issued) if (v.code !== null) report.vouchers.codes.add(v.code);
    const [gone, kept] = issued as [{ id: string; code: string | null }, { id: string; code: string | null }];
    const rival = me && gone.code !== null && o.random() < 0.5 ? await me.redeemForm(buyerPhone(client)) : undefined;
    if (rival) report.vouchers.races += 1;
    // half the races give the buyer a head start of up to 30 ms, so that redemptions win some of them too
    const headStart = rival && o.random() < 0.5 ? o.random() * 30 : 0;
    const [voided, won] = await Promise.all([
      new Promise((r) => setTimeout(r, headStart)).then(() => call('POST', `/admin/v1/vouchers/${gone.id}/void`, {}, `${tag}-void-voucher`, token)),
      rival && redeem(gone.id, rival, gone.code!),
    ]);
    if (voided?.status === 200) report.vouchers.voided.add(gone.id);
    if (won) report.vouchers.redeemedBeforeVoid += 1;
    if (!me || kept.code === null) return;
    const phones = o.random() < 0.4 ? [buyerPhone(client), buyerPhone(client + 1 + Math.floor(o.random() * (o.phones.length - 1)))] : [buyerPhone(client)];
    const forms = (await Promise.all([...new Set(phones)].map((phone) => me.redeemForm(phone)))).filter((f) => f !== undefined);
    if (forms.length > 1) report.vouchers.races += 1;
    await Promise.all(forms.map((form) => redeem(kept.id, form, kept.code!)));
  }

  // a client's own phone (whose wallet exists), or now and then one the service has never seen (WALLET_SIGNUP=open)
  function buyerPhone(client: number): string {
    if (o.newPhones && o.random() < 0.3) return `+49152${String(20_000_000 + (newPhoneCount += 1))}`;
    return o.phones[client % o.phones.length]!;
  }

  async function redeem(voucherId: string, form: RedeemForm, code: string): Promise<boolean> {
    report.vouchers.tries += 1;
    if ((await me!.redeem(form, code)) !== 'redeemed') return false;
    report.vouchers.redeemed.push({ voucherId, phone: form.phone });
    return true;
  }

  let next = 0;
  const stopAt = Date.now() + (o.maxSeconds ?? 900) * 1000;
  const more = (n: number) => {
    if (Date.now() > stopAt) return false;
    return n < o.payments || !(o.faultsDone?.() ?? true);
  };
  await Promise.all(Array.from({ length: o.clients }, async (_v, client) => {
    for (let n = next++; more(n); n = next++) await pay(client, n);
  }));
  if (Date.now() > stopAt) report.violations.push(`the phase reached its time bound (${o.maxSeconds ?? 900} s) before its payments and faults were done`);
  return report;
}
