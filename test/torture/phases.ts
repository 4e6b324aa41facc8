import pg from 'pg';
import { Cluster } from './cluster.js';
import { ServiceUnderTest } from './service.js';
import { ResultReceiver } from './receiver.js';
import { runLoad, type LoadReport } from './workload.js';
import { audit, leakedVoucherCodes } from './invariants.js';
import { devInbox } from './me-client.js';

export type PhaseResult = {
  name: string;
  payments: number;
  operations: number;
  crashes: number;
  db_restarts: number;
  acknowledged: number;
  statuses: Record<string, number>;
  invariants_checked: number;
  duplicate_results: number;
  /** docs/operator-guide.md#vouchers-and-cash-in: redemptions /me answered "redeemed" to, of how many posts, how many raced. */
  vouchers_redeemed: number;
  voucher_redeem_posts: number;
  voucher_races: number;
  /** Of the races against a void, those the redemption won. */
  vouchers_redeemed_before_void: number;
  violations: string[];
  seconds: number;
};

export const ADMIN = 'torture-admin-token-0123456789';
// an expired payment must be expired by the job (every 30 s) within this much of its deadline
const EXPIRY_GRACE_SECONDS = 40;
// docs/configuration.md: with it open, a voucher redeemed by a phone the service has never seen opens its wallet
const WALLET_SIGNUP: 'open' | 'closed' = 'open';

/** A small, seeded generator: a failing run can be repeated. */
export function seeded(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
}

type World = { cluster: Cluster; databaseUrl: string; receiver: ResultReceiver; resultUrl: string; service: ServiceUnderTest };

async function world(): Promise<World> {
  const cluster = new Cluster();
  await cluster.start();
  const databaseUrl = await cluster.createDatabase('torture');
  const receiver = new ResultReceiver();
  const resultUrl = await receiver.start();
  const service = new ServiceUnderTest(tortureEnv(databaseUrl));
  await service.start();
  return { cluster, databaseUrl, receiver, resultUrl, service };
}

/** The service's settings under torture: short deadlines and leases, and limits out of the way (they have tests of their own). */
export function tortureEnv(databaseUrl: string): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl, ADMIN_TOKEN: ADMIN, DB_POOL_MAX: '8',
    PAYMENT_TTL_SECONDS: '20', NOTIFY_TIMEOUT_MS: '2000', NOTIFY_RETRY_SCHEDULE: '1,2,3,5,5,5,5,10,10,10,30,30,60,60,60,60,60,60,60,60',
    IDEMPOTENCY_IN_FLIGHT_SECONDS: '2', ALLOW_PRIVATE_CALLBACKS: 'true',
    CODES_PER_PHONE_PER_HOUR: '100000', RANGE_SMS_PER_HOUR: '100000', SMS_BUDGET_PER_MINUTE: '100000', API_RATE_PER_SECOND: '100000',
    WRONG_TRIES_PER_PHONE_PER_DAY: '100000', WRONG_TRIES_PER_PHONE_PER_CLIENT_PER_DAY: '100000',
    // the buyers' /me sign-ins and voucher redemptions all come from 127.0.0.1; a phone new to the service may redeem
    PAGE_CODES_PER_HOUR: '100000', PAGE_WRONG_CODES_PER_HOUR: '100000', VOUCHER_WRONG_CODES_PER_HOUR: '100000', VOUCHER_WRONG_CODES_PER_PHONE_PER_DAY: '100000',
    WALLET_SIGNUP: WALLET_SIGNUP,
  };
}

async function admin(service: ServiceUnderTest, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${service.url}/admin/v1${path}`, {
    method, headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** A test merchant (manual capture allowed, payable at once) and one funded phone per client. */
export async function shopAndBuyers(w: Pick<World, 'service' | 'resultUrl'>, clients: number) {
  const merchant = await admin(w.service, 'POST', '/merchants', { name: 'Torture Shop', mode: 'test', result_url: w.resultUrl });
  // a 3 % fee returned with refunds (docs/merchant-guide.md#fees): every confirm, capture and refund under the faults
  // also moves a fee to or from one of the fee wallet's accounts, which the ledger check then proves
  await admin(w.service, 'PATCH', `/shops/${merchant.shop_id}`, { methods: ['code', 'manual_capture'], fee: { percent: '3', refund: 'return' } });
  await admin(w.service, 'PATCH', `/merchants/${merchant.id}`, { payout_schedule: 'manual', payout_delay_days: 0 });
  const phones: string[] = [];
  for (let i = 0; i < clients; i++) {
    const phone = `+49151${String(10_000_000 + i * 7919)}`;
    const wallet = await admin(w.service, 'POST', '/wallets', { currency: 'USD', phone, mode: 'test' });
    await admin(w.service, 'POST', `/wallets/${wallet.purse}/topups`, { amount: '100000.00' });
    phones.push(phone);
  }
  return { apiKey: merchant.api_key as string, purse: merchant.purse as string, phones };
}

/** Waits until every paid payment's Result notification is delivered (or the time is up). */
async function drainResults(databaseUrl: string, maxMs: number): Promise<void> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const deadline = Date.now() + maxMs;
    while (Date.now() < deadline) {
      const { rows } = await db.query<{ n: number }>(`select count(*)::int as n from notifications where kind = 'result' and status = 'pending'`);
      if (rows[0]!.n === 0) return;
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    await db.end();
  }
}

async function finish(name: string, w: World, load: LoadReport, started: number, faults: { crashes: number; dbRestarts: number }, payments: number): Promise<PhaseResult> {
  await drainResults(w.databaseUrl, 60_000);
  const checked = await audit({
    databaseUrl: w.databaseUrl, serviceUrl: w.service.url, adminToken: ADMIN, acks: load.acks, vouchers: load.vouchers, received: w.receiver.received, now: new Date(), graceSeconds: EXPIRY_GRACE_SECONDS,
  });
  // what the service said about its 500s: the first line of each distinct error
  const unhandled = [...new Set(w.service.output.split('\n').filter((l) => l.includes('"unhandled error"')).map((l) => {
    const err = (JSON.parse(l) as { err?: { type?: string; message?: string; code?: string } }).err;
    return `service log: ${err?.type} ${err?.code ?? ''} ${err?.message?.split(' - ').pop()?.split('\n')[0]}`;
  }))];
  return {
    name, payments, operations: load.operations, crashes: faults.crashes, db_restarts: faults.dbRestarts, acknowledged: [...load.acks.values()].filter((a) => a.confirmed).length,
    statuses: load.statuses, invariants_checked: checked.checked, duplicate_results: checked.duplicates,
    vouchers_redeemed: load.vouchers.redeemed.length, voucher_redeem_posts: load.vouchers.tries, voucher_races: load.vouchers.races, vouchers_redeemed_before_void: load.vouchers.redeemedBeforeVoid,
    violations: [...load.violations, ...unhandled, ...leakedVoucherCodes(w.service.output, load.vouchers.codes), ...checked.violations], seconds: Math.round((Date.now() - started) / 1000),
  };
}

/**
 * The torture load against a service while `strike` hits it again and again (a pause between
 * strikes), until the payments are made and `wanted` strikes happened (no more than `atMost`); the
 * strikes are counted.
 */
async function loadUnderFaults(
  w: World,
  o: { payments: number; clients: number },
  f: { pauseMs: () => number; strike: () => Promise<void>; wanted: number; counted: (n: number) => unknown; atMost?: number },
  random: () => number,
): Promise<{ load: Awaited<ReturnType<typeof runLoad>>; faults: number }> {
  const shop = await shopAndBuyers(w, o.clients);
  let done = false;
  let faults = 0;
  const striker = (async () => {
    while (!done && faults < (f.atMost ?? Infinity)) {
      await new Promise((r) => setTimeout(r, f.pauseMs()));
      if (done) break;
      await f.strike();
      faults += 1;
      f.counted(faults);
    }
  })();
  const inbox = devInbox(w.databaseUrl);
  const load = await runLoad({
    url: w.service.url, ...shop, payments: o.payments, clients: o.clients, random, faultsDone: () => faults >= f.wanted,
    adminToken: ADMIN, newPhones: WALLET_SIGNUP === 'open', signInSms: inbox.signInSms,
  }).finally(() => inbox.end());
  done = true;
  await striker;
  return { load, faults };
}

async function teardown(w: World): Promise<void> {
  await w.service.stop().catch(() => {});
  await w.receiver.stop().catch(() => {});
  await w.cluster.destroy();
}

/** Phase 1: the service is killed with SIGKILL at random moments and started again, under load. */
export async function crashLoop(o: { payments: number; clients: number; crashes: number; seed: number; log: (line: string) => void }): Promise<PhaseResult> {
  const started = Date.now();
  const random = seeded(o.seed);
  const w = await world();
  try {
    const { load, faults: crashes } = await loadUnderFaults(w, o, {
      // a random moment of a running service: 0.5–3 s after it came up
      pauseMs: () => 500 + random() * 2500,
      strike: async () => {
        await w.service.kill();
        await w.service.start();
      },
      wanted: o.crashes,
      counted: (n) => n % 5 === 0 && o.log(`  crash loop: ${n} kills`),
    }, random);
    return await finish('crash loop (SIGKILL)', w, load, started, { crashes, dbRestarts: 0 }, load.acks.size);
  } finally {
    await teardown(w);
  }
}

/** Phase 2: PostgreSQL is stopped the immediate way and started again under load; the service is never restarted. */
export async function databaseFaults(o: { payments: number; clients: number; restarts: number; seed: number; log: (line: string) => void }): Promise<PhaseResult> {
  const started = Date.now();
  const random = seeded(o.seed);
  const w = await world();
  try {
    const readiness: string[] = [];
    // docs/operator-guide.md#several-instances-and-database-outages: while no database answers, /ready says so
    const askReady = async () => {
      const answer = await fetch(`${w.service.url}/ready`).then((r) => r.status, () => 0);
      if (answer !== 503) readiness.push(`/ready answered ${answer} while the database was down`);
    };
    const { load, faults: restarts } = await loadUnderFaults(w, o, {
      pauseMs: () => 500 + random() * 1500,
      strike: () => w.cluster.crashAndRestart(300 + random() * 1200, askReady),
      wanted: o.restarts,
      atMost: o.restarts,
      counted: (n) => o.log(`  database faults: ${n} immediate stops`),
    }, random);
    const result = await finish('database faults (-m immediate)', w, load, started, { crashes: 0, dbRestarts: restarts }, load.acks.size);
    if (w.service.starts !== 1) result.violations.push(`the service had to be restarted (${w.service.starts} starts)`);
    result.violations.push(...readiness);
    const ready = await fetch(`${w.service.url}/ready`).then((r) => r.status, () => 0);
    if (ready !== 200) result.violations.push(`/ready answers ${ready} after the database came back`);
    if (restarts < o.restarts) result.violations.push(`only ${restarts} of ${o.restarts} database restarts happened before the load ended`);
    return result;
  } finally {
    await teardown(w);
  }
}
