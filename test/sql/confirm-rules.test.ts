import assert from 'node:assert/strict';
import { useTestApp } from '../helpers/test-app.js';
import { api, createBuyer, createTestMerchant, lastCode } from '../helpers/merchant.js';
import { query } from '../../lib/postgres/db.js';
import { readForConfirm } from '../../lib/store/confirm-read.js';
import { planApproval } from '../../lib/use-cases/payments/pay-approved.js';
import { statementArgs } from '../../lib/use-cases/payments/confirm-payment.js';
import type { PaymentId } from '../../lib/domain/ids.js';

type Row = { outcome: string; tries_left: number | null; payment_status: string | null; notification_ids: string[] | null };

/**
 * Issue 37: every decision of a confirm lives in tp_confirm (migrations/20261208100100_confirm_statement.ts) and is tested here
 * against PostgreSQL, one by one, with the argument the service really sends (read, plan, HMACs) and one input changed.
 */
describe('confirm rules in PostgreSQL (tp_confirm)', () => {
  const t = useTestApp();
  const deps = () => ({ config: t.config, clock: t.clock, random: () => 0.5 });

  async function open(balance = '100.00', amount = '1.00', settings: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
    const merchant = await createTestMerchant(t, settings);
    const buyer = await createBuyer(t, balance);
    const created = await api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount, phone: buyer.phone, ...extra }).expect(201);
    return { merchant, buyer, id: created.body.id as PaymentId, code: lastCode(t, buyer.phone) };
  }

  /** The argument confirmPayment sends for this code, read and planned now. */
  async function argsOf(id: PaymentId, code: string, client = 'key:test'): Promise<Record<string, unknown>> {
    const seen = (await readForConfirm(t.database.db, id))!;
    const plan = planApproval(deps(), { payment: seen.payment, shop: seen.shop, wallet: seen.wallet, phone: seen.code!.phone, now: t.clock.now(), transferId: seen.transferId });
    return statementArgs(deps(), { paymentId: id, code, client }, seen, plan) as Record<string, unknown>;
  }
  async function run(args: Record<string, unknown>): Promise<Row> {
    const [row] = await query<Row>(t.database.db, 'select * from tp_confirm(?::jsonb)', [JSON.stringify(args)]);
    return row!;
  }
  /** One call of tp_confirm as confirmPayment makes it; `change` alters the argument after it is built. */
  async function decide(id: PaymentId, code: string, change: (args: Record<string, unknown>) => void = () => {}, client = 'key:test'): Promise<Row> {
    const args = await argsOf(id, code, client);
    change(args);
    return run(args);
  }
  const wrong = (code: string) => String((Number(code) + 1) % 10_000).padStart(4, '0');
  const one = async <T>(sql: string, params: (string | number)[] = []) => (await query<T>(t.database.db, sql, params))[0]!;

  it('pays with the right code: moves the money once, marks the payment and the code, writes its outbox', async () => {
    const p = await open();
    const row = await decide(p.id, p.code);
    assert.equal(row.outcome, 'paid');
    assert.ok(row.notification_ids!.length >= 2, 'the Result and the receipt at least');
    assert.deepEqual(await one(`select status, transfer_id is not null as moved from payments where id = ?`, [p.id]), { status: 'succeeded', moved: true });
    assert.deepEqual(await one(`select status from payment_codes where payment_id = ?`, [p.id]), { status: 'used' });
    assert.deepEqual(await one(`select balance from wallets where purse = ?`, [p.buyer.purse]), { balance: 9900n });
    assert.equal((await one<{ n: number }>(`select count(*)::int as n from notifications where payment_id = ? and kind = 'result'`, [p.id])).n, 1);
  });

  it('answers a retried right code with the paid payment, and any other code with a conflict', async () => {
    const p = await open();
    assert.equal((await decide(p.id, p.code)).outcome, 'paid');
    assert.equal((await decide(p.id, p.code)).outcome, 'replay');
    assert.deepEqual(await decide(p.id, wrong(p.code)), { outcome: 'already_paid', tries_left: null, payment_status: 'succeeded', notification_ids: null });
  });

  it('counts a wrong code on the code and the phone, and says how many tries are left', async () => {
    const p = await open();
    assert.deepEqual(await decide(p.id, wrong(p.code)), { outcome: 'wrong', tries_left: 2, payment_status: 'code_sent', notification_ids: null });
    assert.deepEqual(await one(`select wrong_tries, status from payment_codes where payment_id = ?`, [p.id]), { wrong_tries: 1, status: 'live' });
    assert.equal((await one<{ n: number }>(`select count(*)::int as n from phone_wrong_tries where payment_id = ? and client = 'key:test'`, [p.id])).n, 1);
  });

  it('decides too many tries at the code\'s last wrong try, and again after it (the failure may not have been written)', async () => {
    const p = await open();
    assert.equal((await decide(p.id, wrong(p.code))).tries_left, 2);
    assert.equal((await decide(p.id, wrong(p.code))).tries_left, 1);
    assert.equal((await decide(p.id, wrong(p.code))).outcome, 'too_many');
    assert.equal((await decide(p.id, p.code)).outcome, 'too_many', 'even the right code: the code is out of tries');
    assert.deepEqual(await one(`select wrong_tries from payment_codes where payment_id = ?`, [p.id]), { wrong_tries: 3 }, 'not counted again');
  });

  it('fails the payment when the phone reached its wrong tries of the day, but not for a shared test phone', async () => {
    const p = await open();
    const limitsOf = (args: Record<string, unknown>) => args.limits as Record<string, number>;
    assert.equal((await decide(p.id, wrong(p.code), (a) => { limitsOf(a).per_phone_day = 1; })).outcome, 'too_many');
    const q = await open();
    assert.equal((await decide(q.id, wrong(q.code), (a) => { limitsOf(a).per_phone_day = 1; a.shared_test_phone = true; })).outcome, 'wrong');
  });

  it('refuses a client past its share of the phone\'s wrong codes before comparing, and counts nothing for it', async () => {
    const p = await open();
    await decide(p.id, wrong(p.code), () => {}, 'ip:192.0.2.7');
    const row = await decide(p.id, p.code, (a) => { (a.limits as Record<string, number>).per_client_day = 1; }, 'ip:192.0.2.7');
    assert.equal(row.outcome, 'client_limited');
    assert.deepEqual(await one(`select wrong_tries, status from payment_codes where payment_id = ?`, [p.id]), { wrong_tries: 1, status: 'live' });
  });

  it('refuses an expired code, and an expired payment, before comparing', async () => {
    const p = await open();
    t.clock.advance(t.config.codes.ttlSeconds * 1000);
    assert.equal((await decide(p.id, p.code)).outcome, 'code_expired');
    t.clock.advance(t.config.paymentTtlSeconds * 1000);
    assert.equal((await decide(p.id, p.code)).outcome, 'expired');
  });

  it('refuses a used or dead code, and a code made with a CODE_SECRET this instance lacks (no wrong try)', async () => {
    const p = await open();
    await query(t.database.db, `update payment_codes set status = 'dead' where payment_id = ?`, [p.id]);
    assert.equal((await decide(p.id, p.code)).outcome, 'code_dead');
    const q = await open();
    assert.equal((await decide(q.id, q.code, (a) => { a.hashes = { deadbeef: 'x' }; })).outcome, 'secret_unknown');
    assert.deepEqual(await one(`select wrong_tries from payment_codes where payment_id = ?`, [q.id]), { wrong_tries: 0 });
  });

  it('refuses when the wallet lacks the money, and writes nothing: the service then fails the payment', async () => {
    const p = await open('0.50');
    assert.equal((await decide(p.id, p.code)).outcome, 'insufficient_funds');
    assert.deepEqual(await one(`select balance from wallets where purse = ?`, [p.buyer.purse]), { balance: 50n });
    assert.deepEqual(await one(`select p.status, c.status as code from payments p join payment_codes c on c.payment_id = p.id where p.id = ?`, [p.id]), { status: 'code_sent', code: 'live' });
  });

  it('refuses a frozen wallet and keeps the code live (docs/buyer-guide.md#freeze-i-lost-my-phone)', async () => {
    const p = await open();
    await query(t.database.db, `update wallets set status = 'frozen', frozen_at = now() where purse = ?`, [p.buyer.purse]);
    assert.equal((await decide(p.id, p.code)).outcome, 'wallet_frozen');
    assert.deepEqual(await one(`select status from payment_codes where payment_id = ?`, [p.id]), { status: 'live' });
    await query(t.database.db, `update wallets set status = 'active', frozen_at = null where purse = ?`, [p.buyer.purse]);
    assert.equal((await decide(p.id, p.code)).outcome, 'paid');
  });

  it('takes no money for a disabled shop, even for a payment opened before', async () => {
    const p = await open();
    await query(t.database.db, `update shops set status = 'disabled' where merchant_id = ?`, [p.merchant.id]);
    assert.equal((await decide(p.id, p.code)).outcome, 'shop_disabled');
  });

  it('refuses another merchant\'s payment as not found, and a suspended merchant\'s confirm', async () => {
    const p = await open();
    assert.equal((await decide(p.id, p.code, (a) => { a.merchant_id = 'mch_someoneelse'; })).outcome, 'payment_not_found');
    assert.equal((await decide(p.id, p.code, (a) => { a.mode = 'test'; })).outcome, 'payment_not_found');
    await query(t.database.db, `update merchants set status = 'suspended' where id = ?`, [p.merchant.id]);
    assert.equal((await decide(p.id, p.code, (a) => { a.merchant_id = p.merchant.id; })).outcome, 'merchant_suspended');
    await query(t.database.db, `update merchants set status = 'active' where id = ?`, [p.merchant.id]);
  });

  it('answers stale when the payment changed since it was read (the service reads and plans again)', async () => {
    const p = await open();
    const row = await decide(p.id, p.code, (a) => { a.version = '1'; });
    assert.equal(row.outcome, 'stale');
    assert.deepEqual(await one(`select status from payment_codes where payment_id = ?`, [p.id]), { status: 'live' });
    const other = await decide(p.id, p.code, (a) => { (a.paid as Record<string, unknown>).payer_purse = 'Z000000000001'; });
    assert.equal(other.outcome, 'stale', 'another payer wallet than the one the notifications name');
  });

  it('counts the API key\'s hit in the same statement, after the work: a refused hit undoes the work and still counts', async () => {
    const p = await open();
    const hits = [{ name: 'api_key', key: `api_key:test-${p.id}`, window_start: t.clock.now().toISOString(), max: 1 }];
    assert.equal((await decide(p.id, wrong(p.code), (a) => { a.hits = hits; })).outcome, 'wrong');
    assert.equal((await decide(p.id, p.code, (a) => { a.hits = hits; })).outcome, 'rate_limited');
    assert.deepEqual(await one(`select hits from rate_counters where key = ?`, [hits[0]!.key]), { hits: 2 });
    assert.deepEqual(await one(`select status, wrong_tries from payment_codes where payment_id = ?`, [p.id]), { status: 'live', wrong_tries: 1 });
    assert.deepEqual(await one(`select status from payments where id = ?`, [p.id]), { status: 'code_sent' }, 'the right code\'s payment was undone');
    assert.deepEqual(await one(`select balance from wallets where purse = ?`, [p.buyer.purse]), { balance: 10000n });
    assert.equal((await one<{ n: number }>(`select count(*)::int as n from notifications where payment_id = ?`, [p.id])).n, 0);
  });

  it('holds the money of a manual capture once: a hold already made under the payment\'s key stops the statement, as a transfer does', async () => {
    const p = await open('100.00', '1.00', {}, { capture: 'manual' });
    const args = await argsOf(p.id, p.code);
    const move = args.move as Record<string, string>;
    // the same hold, made by an earlier statement whose commit was not seen: this one must not mark the payment paid on top of it
    await query(t.database.db, `select h.* from payments, tp_hold(?, ?, ?, amount, currency, mode, now(), now() + interval '7 days') h where id = ?`,
      [`${move.hold_id}-earlier`, move.key!, p.buyer.purse, p.id]);
    await assert.rejects(run(args), /was held before it was paid/);
    assert.deepEqual(await one(`select status from payments where id = ?`, [p.id]), { status: 'code_sent' });
    assert.deepEqual(await one(`select count(*)::int as n, sum(amount)::int as amount from holds where key = ?`, [move.key!]), { n: 1, amount: 100 });
    assert.deepEqual(await one(`select held from wallets where purse = ?`, [p.buyer.purse]), { held: 100n }, 'held once');
  });

  it('charges the fee the service computed from the shop\'s rule, half up: 3 % of 0.50 is 0.02', async () => {
    const p = await open('100.00', '0.50');
    await t.admin('patch', `/admin/v1/shops/${(await t.admin('get', `/admin/v1/merchants/${p.merchant.id}`)).body.shop_id}`).send({ fee: { percent: '3.00', fixed: '0.00', refund: 'keep' } }).expect(200);
    assert.equal((await decide(p.id, p.code)).outcome, 'paid');
    const legs = await query<{ kind: string; amount: bigint }>(t.database.db,
      `select w.kind, po.amount from postings po join wallets w on w.purse = po.purse join payments p on p.transfer_id = po.transfer_id where p.id = ? order by po.id`, [p.id]);
    assert.deepEqual(legs, [{ kind: 'customer', amount: -50n }, { kind: 'merchant', amount: 48n }, { kind: 'fees', amount: 2n }]);
  });
});
