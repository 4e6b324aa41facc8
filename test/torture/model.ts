import fc from 'fast-check';
import supertest from 'supertest';
import { Cluster } from './cluster.js';
import { connect, migrateLatest } from '../../lib/postgres/db.js';
import { loadConfig } from '../../lib/config.js';
import { createLogger } from '../../lib/log.js';
import { createApp, type App } from '../../lib/app.js';
import { expireDuePayments } from '../../lib/use-cases/payments/expire-payments.js';
import { ManualClock } from '../helpers/clock.js';
import { redeemVoucher } from '../../lib/use-cases/buyers/redeem-voucher.js';
import { expireVouchers } from '../../lib/use-cases/vouchers/expire-vouchers.js';
import { query } from '../../lib/postgres/db.js';
import { parsePhone, type Phone } from '../../lib/domain/phone.js';

const phoneOf = (text: string): Phone => {
  const parsed = parsePhone(text);
  if (!parsed.ok) throw new Error(`bad phone ${text}`);
  return parsed.phone;
};

/**
 * Model-based random testing: fast-check command sequences run against the real service (the app on
 * a real PostgreSQL, driven over its HTTP interface) and a model of balances and statuses kept here.
 * After every command the service must agree with the model; a failure shrinks to a minimal sequence
 * and prints its seed.
 */
export type ModelResult = { sequences: number; commands: number; checks: number; violations: string[]; seconds: number; seed: number };

type Status = 'code_sent' | 'authorized' | 'succeeded' | 'voided' | 'failed' | 'expired';
type Pay = { id: string; amount: number; manual: boolean; status: Status; wrong: number; captured: number; refunded: number };
type VoucherStatus = 'active' | 'redeemed' | 'void' | 'expired';
type Voucher = { id: string; code: string; amount: number; expiresAt: number | null; status: VoucherStatus };
type Model = { buyer: number; held: number; merchant: number; payments: Pay[]; vouchers: Voucher[] };
type Real = { http: supertest.Agent; clock: ManualClock; app: App; key: string; purse: string; phone: string; buyerPurse: string; counters: { commands: number; checks: number } };

const ADMIN = 'model-admin-token-0123456789';
const money = (cents: number) => (cents / 100).toFixed(2);
const cents = (text: string) => Math.round(Number(text) * 100);

async function agree(m: Model, r: Real, touched?: Pay): Promise<void> {
  // every command that ran ends here: one executed command, one comparison with the model
  r.counters.commands += 1;
  r.counters.checks += 1;
  const buyer = (await r.http.get(`/admin/v1/wallets/${r.buyerPurse}`).set('Authorization', `Bearer ${ADMIN}`).expect(200)).body;
  if (cents(buyer.balance) !== m.buyer || cents(buyer.held) !== m.held) throw new Error(`buyer ${buyer.balance}/${buyer.held} held, model ${money(m.buyer)}/${money(m.held)}`);
  const shop = (await r.http.get(`/admin/v1/wallets/${r.purse}`).set('Authorization', `Bearer ${ADMIN}`).expect(200)).body;
  if (cents(shop.balance) !== m.merchant) throw new Error(`merchant ${shop.balance}, model ${money(m.merchant)}`);
  await agreeOnVouchers(m, r);
  for (const p of touched ? [touched] : m.payments) {
    const real = (await r.http.get(`/api/v1/payments/${p.id}`).set('Authorization', `Bearer ${r.key}`).expect(200)).body;
    const want = [p.status, money(p.captured), money(p.refunded)];
    const got = [real.status, real.amount_captured, real.amount_refunded];
    if (want.join() !== got.join()) throw new Error(`${p.id}: service ${got.join(' ')}, model ${want.join(' ')}`);
  }
}

// docs/operator-guide.md#vouchers-and-cash-in: each voucher's status as modelled, and the float holding exactly the active ones
async function agreeOnVouchers(m: Model, r: Real): Promise<void> {
  if (m.vouchers.length === 0) return;
  const rows = await query<{ id: string; status: string }>(r.app.deps.db, 'select id, status from vouchers where id = any(?)', [m.vouchers.map((v) => v.id)]);
  const real = new Map(rows.map((row) => [row.id, row.status]));
  for (const v of m.vouchers) if (real.get(v.id) !== v.status) throw new Error(`voucher ${v.id}: service ${real.get(v.id)}, model ${v.status}`);
  const [float] = await query<{ balance: bigint; active: bigint }>(r.app.deps.db,
    `select (select balance from wallets where purse = 'Z000000000008') as balance,
            (select coalesce(sum(amount), 0)::bigint from vouchers where status = 'active' and currency = 'USD' and mode = 'test') as active`);
  if (float!.balance !== float!.active) throw new Error(`voucher float ${float!.balance}, active vouchers ${float!.active}`);
}

const api = (r: Real, method: 'post' | 'get', path: string, body?: object) =>
  (method === 'post' ? r.http.post(`/api/v1${path}`).send(body ?? {}) : r.http.get(`/api/v1${path}`)).set('Authorization', `Bearer ${r.key}`);

async function codeOf(r: Real, id: string): Promise<string> {
  const inbox = (await api(r, 'get', `/test/sms?phone=${encodeURIComponent(r.phone)}`).expect(200)).body.data as { payment_id: string; code: string }[];
  return inbox.find((m) => m.payment_id === id)!.code;
}

class Create implements fc.AsyncCommand<Model, Real> {
  constructor(readonly amount: number, readonly manual: boolean) {}
  check = (m: Model) => m.payments.length < 8;
  async run(m: Model, r: Real) {
    const res = await api(r, 'post', '/payments', { payee_purse: r.purse, amount: money(this.amount), phone: r.phone, ...(this.manual ? { capture: 'manual' } : {}) });
    if (res.status !== 201) throw new Error(`create: ${res.status} ${JSON.stringify(res.body)}`);
    const p: Pay = { id: res.body.id, amount: this.amount, manual: this.manual, status: 'code_sent', wrong: 0, captured: 0, refunded: 0 };
    m.payments.push(p);
    await agree(m, r, p);
  }
  toString = () => `create(${money(this.amount)}${this.manual ? ', manual' : ''})`;
}

abstract class OnPayment implements fc.AsyncCommand<Model, Real> {
  constructor(readonly pick: number) {}
  protected target(m: Model): Pay | undefined {
    const candidates = m.payments.filter((p) => this.applies(p, m));
    return candidates[this.pick % Math.max(1, candidates.length)];
  }
  abstract applies(p: Pay, m: Model): boolean;
  check = (m: Model) => this.target(m) !== undefined;
  abstract run(m: Model, r: Real): Promise<void>;
}

class WrongCode extends OnPayment {
  override applies = (p: Pay) => p.status === 'code_sent';
  override async run(m: Model, r: Real) {
    const p = this.target(m)!;
    const right = await codeOf(r, p.id);
    const res = await api(r, 'post', `/payments/${p.id}/confirm`, { code: right === '0000' ? '1111' : '0000' });
    if (res.status < 400 || res.status >= 500) throw new Error(`wrong code answered ${res.status}`);
    p.wrong += 1;
    if (p.wrong >= 3) p.status = 'failed';
    await agree(m, r, p);
  }
  override toString = () => `wrongCode(${this.pick})`;
}

class RightCode extends OnPayment {
  override applies = (p: Pay) => p.status === 'code_sent';
  override async run(m: Model, r: Real) {
    const p = this.target(m)!;
    const res = await api(r, 'post', `/payments/${p.id}/confirm`, { code: await codeOf(r, p.id) });
    if (m.buyer - m.held < p.amount) {
      if (res.body.code !== 'insufficient_funds') throw new Error(`no money: answered ${res.status} ${res.body.code}`);
      p.status = 'failed';
    } else if (p.manual) {
      if (res.status !== 200) throw new Error(`authorize: ${res.status} ${JSON.stringify(res.body)}`);
      p.status = 'authorized';
      m.held += p.amount;
    } else {
      if (res.status !== 200) throw new Error(`confirm: ${res.status} ${JSON.stringify(res.body)}`);
      p.status = 'succeeded';
      p.captured = p.amount;
      m.buyer -= p.amount;
      m.merchant += p.amount;
    }
    await agree(m, r, p);
  }
  override toString = () => `rightCode(${this.pick})`;
}

class Cancel extends OnPayment {
  override applies = (p: Pay) => p.status === 'code_sent';
  override async run(m: Model, r: Real) {
    const p = this.target(m)!;
    const res = await api(r, 'post', `/payments/${p.id}/cancel`);
    if (res.status !== 200) throw new Error(`cancel: ${res.status}`);
    p.status = 'failed';
    await agree(m, r, p);
  }
  override toString = () => `cancel(${this.pick})`;
}

class Refund extends OnPayment {
  constructor(pick: number, readonly amount: number) {
    super(pick);
  }
  override applies = (p: Pay) => p.status === 'succeeded' && p.refunded < p.captured;
  override async run(m: Model, r: Real) {
    const p = this.target(m)!;
    const amount = Math.min(this.amount, p.captured - p.refunded);
    const res = await api(r, 'post', `/payments/${p.id}/refunds`, { amount: money(amount) });
    if (m.merchant < amount) {
      if (res.body.code !== 'insufficient_funds') throw new Error(`refund beyond the merchant's money: ${res.status} ${res.body.code}`);
    } else {
      if (res.status !== 201) throw new Error(`refund: ${res.status} ${JSON.stringify(res.body)}`);
      p.refunded += amount;
      m.merchant -= amount;
      m.buyer += amount;
    }
    await agree(m, r, p);
  }
  override toString = () => `refund(${this.pick}, ${money(this.amount)})`;
}

class Capture extends OnPayment {
  constructor(pick: number, readonly share: number) {
    super(pick);
  }
  override applies = (p: Pay) => p.status === 'authorized';
  override async run(m: Model, r: Real) {
    const p = this.target(m)!;
    const amount = Math.max(1, Math.round(p.amount * this.share));
    const res = await api(r, 'post', `/payments/${p.id}/capture`, { amount: money(amount) });
    if (res.status !== 200) throw new Error(`capture: ${res.status} ${JSON.stringify(res.body)}`);
    p.status = 'succeeded';
    p.captured = amount;
    m.held -= p.amount;
    m.buyer -= amount;
    m.merchant += amount;
    await agree(m, r, p);
  }
  override toString = () => `capture(${this.pick}, ${this.share})`;
}

class Void extends OnPayment {
  override applies = (p: Pay) => p.status === 'authorized';
  override async run(m: Model, r: Real) {
    const p = this.target(m)!;
    const res = await api(r, 'post', `/payments/${p.id}/void`);
    if (res.status !== 200) throw new Error(`void: ${res.status}`);
    p.status = 'voided';
    m.held -= p.amount;
    await agree(m, r, p);
  }
  override toString = () => `void(${this.pick})`;
}

class TopUp implements fc.AsyncCommand<Model, Real> {
  constructor(readonly amount: number) {}
  check = () => true;
  async run(m: Model, r: Real) {
    await r.http.post(`/admin/v1/wallets/${r.buyerPurse}/topups`).set('Authorization', `Bearer ${ADMIN}`).send({ amount: money(this.amount) }).expect(201);
    m.buyer += this.amount;
    await agree(m, r);
  }
  toString = () => `topUp(${money(this.amount)})`;
}

class Payout implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(m: Model, r: Real) {
    const payable = cents((await api(r, 'get', '/balance').expect(200)).body.data[0].payable);
    if (payable > m.merchant) throw new Error(`payable ${money(payable)} exceeds the model's ${money(m.merchant)}`);
    const res = await api(r, 'post', '/payouts', { purse: r.purse });
    if (payable === 0) {
      if (res.body.code !== 'nothing_payable') throw new Error(`payout of nothing: ${res.status} ${res.body.code}`);
    } else {
      if (res.status !== 201 || cents(res.body.amount) !== payable) throw new Error(`payout: ${res.status} ${JSON.stringify(res.body)}`);
      m.merchant -= payable;
    }
    await agree(m, r);
  }
  toString = () => 'payout()';
}

class ExpireByClock implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(m: Model, r: Real) {
    r.clock.advance(31 * 60 * 1000);
    await expireDuePayments(r.app.deps);
    for (const p of m.payments) if (p.status === 'code_sent') p.status = 'expired';
    await agree(m, r);
  }
  toString = () => 'expireByClock()';
}

class IssueVoucher implements fc.AsyncCommand<Model, Real> {
  constructor(readonly amount: number, readonly expiresInMinutes: number | null) {}
  check = (m: Model) => m.vouchers.length < 8;
  async run(m: Model, r: Real) {
    const expiresAt = this.expiresInMinutes === null ? null : r.clock.now().getTime() + this.expiresInMinutes * 60_000;
    const res = await r.http.post('/admin/v1/vouchers').set('Authorization', `Bearer ${ADMIN}`)
      .send({ currency: 'USD', amount: money(this.amount), count: 1, mode: 'test', ...(expiresAt ? { expires_at: new Date(expiresAt).toISOString() } : {}) });
    if (res.status !== 201) throw new Error(`issue vouchers: ${res.status} ${JSON.stringify(res.body)}`);
    m.vouchers.push({ id: res.body.vouchers[0].id, code: res.body.vouchers[0].code, amount: this.amount, expiresAt, status: 'active' });
    await agree(m, r);
  }
  toString = () => `issueVoucher(${money(this.amount)}, ${this.expiresInMinutes ?? 'never'})`;
}

class RedeemVoucher implements fc.AsyncCommand<Model, Real> {
  constructor(readonly pick: number) {}
  check = (m: Model) => m.vouchers.length > 0;
  async run(m: Model, r: Real) {
    const v = m.vouchers[this.pick % m.vouchers.length]!;
    const outcome = await redeemVoucher(r.app.deps, { phone: phoneOf(r.phone), code: v.code.toLowerCase(), clientAddress: '192.0.2.1' }).then(() => 'ok', (e: { code?: string }) => e.code);
    const lapsed = v.expiresAt !== null && v.expiresAt <= r.clock.now().getTime();
    const want = v.status === 'redeemed' ? 'voucher_redeemed' : v.status === 'void' ? 'voucher_invalid' : v.status === 'expired' || lapsed ? 'voucher_expired' : 'ok';
    if (outcome !== want) throw new Error(`redeem ${v.status} voucher: ${outcome}, model ${want}`);
    if (want === 'ok') {
      v.status = 'redeemed';
      m.buyer += v.amount;
    }
    await agree(m, r);
  }
  toString = () => `redeemVoucher(${this.pick})`;
}

class VoidVoucher implements fc.AsyncCommand<Model, Real> {
  constructor(readonly pick: number) {}
  check = (m: Model) => m.vouchers.length > 0;
  async run(m: Model, r: Real) {
    const v = m.vouchers[this.pick % m.vouchers.length]!;
    const res = await r.http.post(`/admin/v1/vouchers/${v.id}/void`).set('Authorization', `Bearer ${ADMIN}`);
    const ends = v.status === 'active' || v.status === 'void';
    if (res.status !== (ends ? 200 : 409)) throw new Error(`void ${v.status} voucher: ${res.status} ${res.body.code}`);
    if (ends) v.status = 'void';
    await agree(m, r);
  }
  toString = () => `voidVoucher(${this.pick})`;
}

class ExpireVouchers implements fc.AsyncCommand<Model, Real> {
  check = (m: Model) => m.vouchers.length > 0;
  async run(m: Model, r: Real) {
    // an hour passes for the payments too: the open ones expire as in expireByClock
    r.clock.advance(61 * 60 * 1000);
    await expireDuePayments(r.app.deps);
    for (const p of m.payments) if (p.status === 'code_sent') p.status = 'expired';
    await expireVouchers(r.app.deps);
    const now = r.clock.now().getTime();
    for (const v of m.vouchers) if (v.status === 'active' && v.expiresAt !== null && v.expiresAt <= now) v.status = 'expired';
    await agree(m, r);
  }
  toString = () => 'expireVouchers()';
}

const commands = [
  fc.tuple(fc.integer({ min: 100, max: 5000 }), fc.boolean()).map(([a, manual]) => new Create(a, manual)),
  fc.nat(7).map((i) => new WrongCode(i)),
  fc.nat(7).map((i) => new RightCode(i)),
  fc.nat(7).map((i) => new Cancel(i)),
  fc.tuple(fc.nat(7), fc.integer({ min: 1, max: 3000 })).map(([i, a]) => new Refund(i, a)),
  fc.tuple(fc.nat(7), fc.double({ min: 0.1, max: 1, noNaN: true })).map(([i, s]) => new Capture(i, s)),
  fc.nat(7).map((i) => new Void(i)),
  fc.integer({ min: 100, max: 20000 }).map((a) => new TopUp(a)),
  fc.constant(new Payout()),
  fc.constant(new ExpireByClock()),
  fc.tuple(fc.integer({ min: 100, max: 5000 }), fc.option(fc.integer({ min: 30, max: 180 }))).map(([a, e]) => new IssueVoucher(a, e)),
  fc.nat(7).map((i) => new RedeemVoucher(i)),
  fc.nat(7).map((i) => new VoidVoucher(i)),
  fc.constant(new ExpireVouchers()),
];

export async function modelRuns(o: { sequences: number; seed: number }): Promise<ModelResult> {
  const started = Date.now();
  const cluster = new Cluster();
  await cluster.start();
  const db = connect(await cluster.createDatabase('model'), 5);
  const counters = { commands: 0, checks: 0 };
  const violations: string[] = [];
  let sequences = 0;
  try {
    await migrateLatest(db);
    // the sequences test money and states, not the abuse limits (they have tests of their own): one phone may get many codes
    const config = loadConfig({ NODE_ENV: 'test' }, { adminToken: ADMIN, codes: { maxCodesPerPhonePerHour: 100_000 }, limits: { voucherWrongCodesPerPhonePerDay: 100_000, voucherWrongCodesPerClientPerHour: 100_000 } });
    const clock = new ManualClock('2026-12-01T10:00:00.000Z');
    const app = createApp({ config, db, clock, log: createLogger('silent') });
    const http = supertest.agent(app.koa.callback());
    const admin = (path: string, body: object) => http.post(`/admin/v1${path}`).set('Authorization', `Bearer ${ADMIN}`).send(body);
    try {
      await fc.assert(
        fc.asyncProperty(fc.commands(commands, { maxCommands: 40, size: '+1' }), async (cmds) => {
          sequences += 1;
          // every sequence starts from a fresh merchant and buyer
          const merchant = (await admin('/merchants', { name: 'Model Shop', mode: 'test' }).expect(201)).body;
          await http.patch(`/admin/v1/shops/${merchant.shop_id}`).set('Authorization', `Bearer ${ADMIN}`).send({ methods: ['code', 'manual_capture'] }).expect(200);
          await http.patch(`/admin/v1/merchants/${merchant.id}`).set('Authorization', `Bearer ${ADMIN}`).send({ payout_delay_days: 0 }).expect(200);
          const phone = `+49152${String(10_000_000 + sequences)}`;
          const wallet = (await admin('/wallets', { currency: 'USD', phone, mode: 'test' }).expect(201)).body;
          await admin(`/wallets/${wallet.purse}/topups`, { amount: '100.00' }).expect(201);
          const model: Model = { buyer: 10000, held: 0, merchant: 0, payments: [], vouchers: [] };
          const real: Real = { http, clock, app, key: merchant.api_key, purse: merchant.purse, phone, buyerPurse: wallet.purse, counters };
          await fc.asyncModelRun(() => ({ model, real }), cmds);
        }),
        { numRuns: o.sequences, seed: o.seed, endOnFailure: false },
      );
    } catch (err) {
      const lines = (err as Error).message.split('\n');
      violations.push(`model: ${[...lines.slice(0, 4), ...lines.filter((l) => /Got error|Error:/.test(l)).slice(0, 3)].join('\n')}`);
    } finally {
      await app.stop();
    }
  } finally {
    await db.destroy();
    await cluster.destroy();
  }
  return { sequences, commands: counters.commands, checks: counters.checks, violations, seconds: Math.round((Date.now() - started) / 1000), seed: o.seed };
}
