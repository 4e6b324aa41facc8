import { Latencies, now } from './stats.js';
import type { Sink } from './sms-sink.js';
import type { BenchBuyer, BenchMerchant } from './setup.js';

const FLOWS_PER_PHONE = 4; // the service allows 5 codes per phone per hour

export type PhaseResult = { flows: number; errors: number; seconds: number; flowsPerSecond: number; create: ReturnType<Latencies['summary']>; confirm: ReturnType<Latencies['summary']>; flow: ReturnType<Latencies['summary']>; errorSamples: string[] };

/** Simulated buyers: create a payment with the phone, take the code from the SMS, confirm. */
export class Buyers {
  private next = 0;
  private uses = new Map<string, number>();

  constructor(
    /** Where the flows go: the service, or a balancer in front of several (the bench's HAProxy phases). */
    public baseUrl: string,
    private readonly sink: Sink,
    private readonly buyers: BenchBuyer[],
  ) {}

  private buyer(): BenchBuyer {
    for (let tries = 0; tries < this.buyers.length; tries++) {
      const b = this.buyers[this.next++ % this.buyers.length]!;
      const used = this.uses.get(b.phone) ?? 0;
      if (used < FLOWS_PER_PHONE) {
        this.uses.set(b.phone, used + 1);
        return b;
      }
    }
    throw new Error('out of buyer phones: add buyers or shorten the run');
  }

  private async post(path: string, apiKey: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  }

  /** One buyer's whole pay flow; latencies go to the phase's recorders. */
  async flow(merchant: BenchMerchant, rec: Recorders): Promise<void> {
    const buyer = this.buyer();
    const start = now();
    const created = await this.post('/api/v1/payments', merchant.apiKey, { payee_purse: merchant.purse, amount: '1.00', phone: buyer.phone });
    const afterCreate = now();
    rec.create.add(afterCreate - start);
    if (created.status !== 201) throw new Error(`create ${created.status} ${JSON.stringify(created.json).slice(0, 200)}`);
    const code = await this.sink.nextCode(buyer.phone);
    const beforeConfirm = now();
    const confirmed = await this.post(`/api/v1/payments/${String(created.json.id)}/confirm`, merchant.apiKey, { code });
    const end = now();
    rec.confirm.add(end - beforeConfirm);
    rec.flow.add(end - start);
    if (confirmed.status !== 200 || confirmed.json.status !== 'succeeded') throw new Error(`confirm ${confirmed.status} ${JSON.stringify(confirmed.json).slice(0, 200)}`);
  }
}

export type Recorders = { create: Latencies; confirm: Latencies; flow: Latencies };

function recorders(): Recorders {
  return { create: new Latencies(), confirm: new Latencies(), flow: new Latencies() };
}

function result(rec: Recorders, errors: string[], seconds: number): PhaseResult {
  return {
    flows: rec.flow.count, errors: errors.length, seconds, flowsPerSecond: rec.flow.count / seconds,
    create: rec.create.summary(), confirm: rec.confirm.summary(), flow: rec.flow.summary(), errorSamples: errors.slice(0, 5),
  };
}

/** As many flows as `concurrency` buyers can do back to back, for `seconds` (bounded in time and count). */
export async function closedLoop(run: (rec: Recorders) => Promise<void>, concurrency: number, seconds: number, maxFlows: number): Promise<PhaseResult> {
  const rec = recorders();
  const errors: string[] = [];
  const deadline = now() + seconds * 1000;
  let started = 0;
  const t0 = now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (now() < deadline && started < maxFlows) {
        started += 1;
        await run(rec).catch((err: Error) => errors.push(err.message));
      }
    }),
  );
  return result(rec, errors, (now() - t0) / 1000);
}

/** Flows arriving at a fixed rate (an open loop: a slow answer does not slow the arrivals). */
export async function openLoop(run: (rec: Recorders) => Promise<void>, perSecond: number, seconds: number): Promise<PhaseResult> {
  const rec = recorders();
  const errors: string[] = [];
  const inFlight: Promise<void>[] = [];
  const total = Math.max(1, Math.floor(perSecond * seconds));
  const t0 = now();
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / perSecond;
    const wait = due - now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(run(rec).catch((err: Error) => void errors.push(err.message)));
  }
  await Promise.all(inFlight);
  return result(rec, errors, (now() - t0) / 1000);
}

/** Requests per second of a plain GET, with the same client as the flows. */
export async function getLoop(url: string, concurrency: number, seconds: number): Promise<{ rps: number; errors: number }> {
  let done = 0;
  let errors = 0;
  const deadline = now() + seconds * 1000;
  const t0 = now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (now() < deadline) {
        const res = await fetch(url).catch(() => undefined);
        if (res?.ok) {
          await res.arrayBuffer();
          done += 1;
        } else errors += 1;
      }
    }),
  );
  return { rps: done / ((now() - t0) / 1000), errors };
}
