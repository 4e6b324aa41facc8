import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Webhook } from 'standardwebhooks';
import { useTestApp } from '../helpers/test-app.js';
import { createTestMerchant, api, type TestMerchant } from '../helpers/merchant.js';
import { assertLedgerClean, payNow } from '../helpers/payments.js';
import { Receiver } from '../helpers/receiver.js';
import { balanceMinor } from '../helpers/builders.js';
import { query } from '../../lib/postgres/db.js';
import { DAY_MS } from '../../lib/domain/time.js';

const run = promisify(execFile);

/** docs/merchant-guide.md#balance-payouts-and-statements: balance transactions, payouts on request and by schedule, the bank step, statements. */
describe('balance and payouts', () => {
  const receiver = new Receiver();
  // the webhook verifier checks timestamps against the real time: the clock starts 10 days ago and
  // the tests move it forward to about now before a payout webhook goes out
  const t = useTestApp();
  before(() => t.clock.advance(-t.clock.now().getTime() + Date.now() - 10 * DAY_MS));
  const shopOf = async (merchant: TestMerchant) => (await t.admin('get', `/admin/v1/merchants/${merchant.id}`)).body.shop_id as string;

  before(() => receiver.start());
  after(() => receiver.stop());

  async function balanceOf(merchant: TestMerchant) {
    const res = await api(t, merchant).get('/balance').expect(200);
    return res.body.data.find((b: { purse: string }) => b.purse === merchant.purse);
  }

  it('writes a balance transaction for every movement, holds sales for payout_delay_days, and pays out exactly the settled net', async () => {
    const merchant = await createTestMerchant(t);
    await t.admin('patch', `/admin/v1/shops/${await shopOf(merchant)}`).send({ fee: { percent: '3.00', refund: 'return' } }).expect(200);
    const client = api(t, merchant);
    const { payment: paid } = await payNow(t, merchant, '10.00');
    await client.post(`/payments/${paid.id}/refunds`, { amount: '2.00' }).expect(201);

    const txns = (await client.get(`/balance_transactions?purse=${merchant.purse}`).expect(200)).body.data;
    const byType = Object.fromEntries(txns.map((x: Record<string, string>) => [x.type, x]));
    assert.deepEqual(Object.keys(byType).sort(), ['fee_refund', 'payment', 'refund']);
    assert.deepEqual([byType.payment.amount, byType.payment.fee, byType.payment.net, byType.payment.source], ['10.00', '0.30', '9.70', paid.id]);
    assert.equal(Date.parse(byType.payment.available_on) - Date.parse(byType.payment.created_at), 7 * DAY_MS, 'default delay: 7 days');
    assert.deepEqual([byType.refund.net, byType.refund.available_on], ['-2.00', byType.refund.created_at], 'debits are available at once');
    assert.deepEqual([byType.fee_refund.net, byType.fee_refund.available_on], ['0.06', byType.payment.available_on]);

    let balance = await balanceOf(merchant);
    assert.deepEqual([balance.balance, balance.held, balance.pending, balance.payable], ['7.76', '0.00', '9.76', '0.00']);
    assert.equal((await client.post('/payouts', { purse: merchant.purse }).expect(422)).body.code, 'nothing_payable');

    t.clock.advance(7 * DAY_MS);
    balance = await balanceOf(merchant);
    assert.deepEqual([balance.pending, balance.payable], ['0.00', '7.76']);
    const payout = (await client.post('/payouts', { purse: merchant.purse }).expect(201)).body;
    assert.deepEqual([payout.object, payout.status, payout.amount, payout.currency, payout.trigger], ['payout', 'pending', '7.76', 'USD', 'request']);
    assert.deepEqual((await client.get(`/payouts/${payout.id}`).expect(200)).body, payout);
    assert.equal((await balanceOf(merchant)).balance, '0.00');

    // the statement: RFC 4180, the merchant guide's header, and a net column that sums to the payout exactly
    const csv = await client.get(`/payouts/${payout.id}/transactions.csv`).expect(200).expect('Content-Type', /text\/csv; charset=utf-8/);
    const lines = csv.text.split('\r\n').filter(Boolean);
    assert.equal(lines[0], 'id,type,created_at,available_on,source,amount,fee,net,currency');
    assert.equal(lines.length, 4, 'payment, refund and fee_refund');
    const net = lines.slice(1).reduce((sum, line) => sum + balanceMinor(line.split(',')[7]!), 0n);
    assert.equal(net, balanceMinor(payout.amount));
    const settled = (await client.get(`/balance_transactions?payout=${payout.id}`).expect(200)).body.data;
    assert.equal(settled.length, 3);
    assert.ok(settled.every((x: { payout_id: string }) => x.payout_id === payout.id));
    const own = (await client.get('/balance_transactions?type=payout').expect(200)).body.data;
    assert.deepEqual(own.map((x: Record<string, string>) => [x.source, x.net]), [[payout.id, '-7.76']]);

    assert.equal((await client.post('/payouts', { purse: merchant.purse }).expect(422)).body.code, 'nothing_payable', 'a settled transaction is never paid twice');
    await assertLedgerClean(t);
  });

  it("refuses another merchant's wallet (404), an unknown payout (404) and a malformed request (400 naming the field)", async () => {
    const mine = await createTestMerchant(t);
    const theirs = await createTestMerchant(t);
    const res = await api(t, mine).post('/payouts', { purse: theirs.purse }).expect(404);
    assert.equal(res.body.code, 'wallet_not_found');
    await api(t, mine).get('/payouts/po_000000000000000000000000').expect(404);
    await api(t, mine).get('/payouts/nonsense').expect(404);
    const bad = await api(t, mine).post('/payouts', { purse: 'Z12' }).expect(400);
    assert.equal(bad.body.errors[0].field, 'purse');
    const extra = await api(t, mine).post('/payouts', { purse: mine.purse, amount: '1.00' }).expect(400);
    assert.match(JSON.stringify(extra.body.errors), /amount/);
    const type = await api(t, mine).get('/balance_transactions?type=gift').expect(400);
    assert.equal(type.body.errors[0].field, 'type');
    // a payout of another merchant is not found, nor its statement
    t.clock.advance(8 * DAY_MS);
    await payNow(t, theirs, '5.00');
    t.clock.advance(8 * DAY_MS);
    const payout = (await api(t, theirs).post('/payouts', { purse: theirs.purse }).expect(201)).body;
    await api(t, mine).get(`/payouts/${payout.id}`).expect(404);
    await api(t, mine).get(`/payouts/${payout.id}/transactions.csv`).expect(404);
  });

  it('the bank step: pending list and CSV, paid with a reference (409 the second time), failed returns the money; webhooks for both', async () => {
    t.clock.advance(-t.clock.now().getTime() + Date.now() - 10 * DAY_MS);
    const merchant = await createTestMerchant(t, { webhook_url: receiver.url('/hooks') });
    await t.admin('patch', `/admin/v1/merchants/${merchant.id}`).send({ payout_account: 'IBAN DE89 3704 0044 0532 0130 00, BIC COBADEFFXXX', payout_delay_days: 0 }).expect(200);
    await payNow(t, merchant, '12.00');
    t.clock.advance(10 * DAY_MS);
    const first = (await api(t, merchant).post('/payouts', { purse: merchant.purse }).expect(201)).body;
    assert.equal(first.payout_account, 'IBAN DE89 3704 0044 0532 0130 00, BIC COBADEFFXXX');

    const tester = await createTestMerchant(t, { mode: 'test' });
    await t.admin('patch', `/admin/v1/merchants/${tester.id}`).send({ payout_delay_days: 0 }).expect(200);
    await payNow(t, tester, '3.00');
    const testPayout = (await api(t, tester).post('/payouts', { purse: tester.purse }).expect(201)).body;
    const pending = (await t.admin('get', `/admin/v1/payouts?status=pending&merchant_id=${merchant.id}`).expect(200)).body.data;
    assert.deepEqual(pending.map((p: { id: string }) => p.id), [first.id]);
    const csv = await t.admin('get', '/admin/v1/payouts.csv?status=pending').expect(200).expect('Content-Type', /text\/csv/);
    const rows = csv.text.split('\r\n');
    assert.equal(rows[0], 'payout_id,merchant_id,merchant_name,payout_account,amount,currency,purse,created_at');
    assert.ok(rows.includes(`${first.id},${merchant.id},Test Shop,"IBAN DE89 3704 0044 0532 0130 00, BIC COBADEFFXXX",12.00,USD,${merchant.purse},${first.created_at}`));
    assert.ok(!csv.text.includes(testPayout.id), 'a test payout never reaches the bank\'s file');

    receiver.requests.length = 0;
    const paidOut = (await t.admin('post', `/admin/v1/payouts/${first.id}/paid`).send({ reference: 'BANK-REF-1' }).expect(200)).body;
    assert.deepEqual([paidOut.status, paidOut.reference], ['paid', 'BANK-REF-1']);
    const again = await t.admin('post', `/admin/v1/payouts/${first.id}/paid`).send({ reference: 'BANK-REF-1' }).expect(409);
    assert.equal(again.body.code, 'payout_not_pending');
    await t.admin('post', `/admin/v1/payouts/${first.id}/failed`).send({ reason: 'too late' }).expect(409);
    await t.app.notifier.idle();
    const hook = receiver.requests.find((r) => r.path === '/hooks')!;
    const event = new Webhook(merchant.webhookSecret).verify(hook.body, hook.headers as Record<string, string>) as { type: string; data: { id: string; status: string } };
    assert.deepEqual([event.type, event.data.id, event.data.status], ['payout.paid', first.id, 'paid']);

    await payNow(t, merchant, '3.00');
    const second = (await api(t, merchant).post('/payouts', { purse: merchant.purse }).expect(201)).body;
    receiver.requests.length = 0;
    const failed = (await t.admin('post', `/admin/v1/payouts/${second.id}/failed`).send({ reason: 'account closed' }).expect(200)).body;
    assert.deepEqual([failed.status, failed.failure_reason], ['failed', 'account closed']);
    const balance = await balanceOf(merchant);
    assert.deepEqual([balance.balance, balance.payable], ['3.00', '3.00'], 'a failed payout is payable again at once');
    const back = (await api(t, merchant).get('/balance_transactions?type=payout_failure').expect(200)).body.data;
    assert.deepEqual(back.map((x: Record<string, string>) => [x.source, x.net, x.payout_id]), [[second.id, '3.00', null]]);
    await t.app.notifier.idle();
    const failHook = JSON.parse(receiver.requests.find((r) => r.path === '/hooks')!.body);
    assert.deepEqual([failHook.type, failHook.data.id], ['payout.failed', second.id]);
    const missing = await t.admin('post', '/admin/v1/payouts/po_000000000000000000000000/paid').send({ reference: 'x' }).expect(404);
    assert.equal(missing.body.code, 'payout_not_found');
    const noRef = await t.admin('post', `/admin/v1/payouts/${second.id}/paid`).send({}).expect(400);
    assert.equal(noRef.body.errors[0].field, 'reference');
    await assertLedgerClean(t);
  });

  it('a scheduled run pays each wallet once per period, skips manual schedules and amounts below the minimum', async () => {
    const weekly = await createTestMerchant(t);
    const manual = await createTestMerchant(t);
    const small = await createTestMerchant(t);
    const daily = await createTestMerchant(t);
    await t.admin('patch', `/admin/v1/merchants/${manual.id}`).send({ payout_schedule: 'manual' }).expect(200);
    await t.admin('patch', `/admin/v1/merchants/${small.id}`).send({ payout_minimum: '50.00' }).expect(200);
    await t.admin('patch', `/admin/v1/merchants/${daily.id}`).send({ payout_schedule: 'daily', payout_delay_days: 1 }).expect(200);
    for (const m of [weekly, manual, small, daily]) await payNow(t, m, '20.00');
    t.clock.advance(8 * DAY_MS);
    await t.admin('post', '/admin/v1/payouts/run').expect(200);
    await t.admin('post', '/admin/v1/payouts/run').expect(200);
    const payoutsOf = async (m: TestMerchant) => (await api(t, m).get('/payouts').expect(200)).body.data;
    assert.equal((await payoutsOf(weekly)).length, 1);
    assert.equal((await payoutsOf(weekly))[0].trigger, 'schedule');
    assert.match((await payoutsOf(weekly))[0].period, /^weekly:\d{4}-\d{2}-\d{2}$/);
    assert.equal((await payoutsOf(manual)).length, 0);
    assert.equal((await payoutsOf(small)).length, 0);
    assert.equal((await payoutsOf(daily)).length, 1);
    // new money the same week waits for next week; a daily merchant is paid again the next day
    await payNow(t, weekly, '5.00');
    await payNow(t, daily, '5.00');
    t.clock.advance(DAY_MS + 60_000);
    await t.admin('post', '/admin/v1/payouts/run').expect(200);
    assert.equal((await payoutsOf(daily)).length, 2);
    assert.equal((await payoutsOf(weekly)).length, 1, 'the weekly merchant\'s new sale is not available yet');
    await assertLedgerClean(t);
  });

  it('20 concurrent payout requests on one wallet make exactly one payout', async () => {
    const merchant = await createTestMerchant(t);
    await t.admin('patch', `/admin/v1/merchants/${merchant.id}`).send({ payout_delay_days: 0 }).expect(200);
    await payNow(t, merchant, '9.00');
    const results = await Promise.all(Array.from({ length: 20 }, () => api(t, merchant).post('/payouts', { purse: merchant.purse })));
    assert.deepEqual(results.map((r) => r.status).sort(), [201, ...Array(19).fill(422)]);
    assert.ok(results.filter((r) => r.status === 422).every((r) => r.body.code === 'nothing_payable'));
    assert.equal(results.find((r) => r.status === 201)!.body.amount, '9.00');
    await assertLedgerClean(t);
  });

  it('a payout request retried with its Idempotency-Key after the process died before recording the answer gets the same payout', async () => {
    const merchant = await createTestMerchant(t);
    await t.admin('patch', `/admin/v1/merchants/${merchant.id}`).send({ payout_delay_days: 0 }).expect(200);
    await payNow(t, merchant, '9.00');
    const client = api(t, merchant);
    const first = await client.post('/payouts', { purse: merchant.purse }, { 'Idempotency-Key': 'payout-run-1' }).expect(201);
    // the process died after the payout committed and before the key's answer was stored: the key
    // is left in flight, and its lock lapses
    await query(t.database.db, `update idempotency_keys set state = 'in_flight', status_code = null, response_body = null, locked_until = created_at
      where owner = ? and key = ?`, [merchant.id, 'payout-run-1']);
    await payNow(t, merchant, '4.00');
    const retried = await client.post('/payouts', { purse: merchant.purse }, { 'Idempotency-Key': 'payout-run-1' }).expect(201);
    assert.deepEqual([retried.body.id, retried.body.amount], [first.body.id, '9.00'], 'the payout it made, not one of the 4.00 paid since');
    const payouts = (await client.get(`/payouts?purse=${merchant.purse}`).expect(200)).body.data;
    assert.equal(payouts.length, 1);
    // another key is another request: it pays out what is payable now
    const second = await client.post('/payouts', { purse: merchant.purse }, { 'Idempotency-Key': 'payout-run-2' }).expect(201);
    assert.equal(second.body.amount, '4.00');
    await assertLedgerClean(t);
  });

  it('a payout racing 20 refunds settles each transaction once and never pays out money a refund took', async () => {
    const merchant = await createTestMerchant(t);
    await t.admin('patch', `/admin/v1/merchants/${merchant.id}`).send({ payout_delay_days: 0 }).expect(200);
    const sales = [];
    for (let i = 0; i < 25; i++) sales.push((await payNow(t, merchant, '1.00')).payment);
    const client = api(t, merchant);
    const [payout, ...refunds] = await Promise.all([
      client.post('/payouts', { purse: merchant.purse }),
      ...sales.slice(0, 20).map((s) => client.post(`/payments/${s.id}/refunds`, {})),
    ]);
    assert.equal(payout!.status, 201);
    const refunded = refunds.filter((r) => r.status === 201).length;
    assert.ok(refunds.every((r) => r.status === 201 || r.body.code === 'insufficient_funds'), JSON.stringify(refunds.map((r) => r.body.code)));
    assert.equal(balanceMinor(payout!.body.amount) + BigInt(refunded) * 100n, 2500n, 'what was paid out plus what was refunded is all the money');
    assert.equal((await balanceOf(merchant)).balance, '0.00');
    const [unsettled] = await query<{ n: number }>(t.database.db, `select count(*)::int as n from balance_transactions where purse = ? and payout_id is null`, [merchant.purse]);
    assert.equal(unsettled!.n, 0, 'every transaction of the wallet is settled by the one payout');
    await assertLedgerClean(t);
  });

  it('two processes running the scheduled payouts at once make one payout per wallet', async () => {
    // the CLI runs on the real clock; these sales were made 10 days ago on the test clock
    t.clock.advance(-t.clock.now().getTime() + Date.now() - 10 * DAY_MS);
    const merchants: TestMerchant[] = [];
    for (let i = 0; i < 12; i++) {
      const m = await createTestMerchant(t);
      await t.admin('patch', `/admin/v1/merchants/${m.id}`).send({ payout_schedule: 'daily' }).expect(200);
      await payNow(t, m, `${i + 1}.00`);
      merchants.push(m);
    }
    const env = { ...process.env, NODE_ENV: 'development', DATABASE_URL: t.database.url };
    const runs = await Promise.all([1, 2].map(() => run(process.execPath, ['--import', 'tsx', 'lib/cli.ts', 'payouts:run'], { env })));
    const created = runs.map((r) => JSON.parse(r.stdout).created as number);
    assert.ok(created.reduce((a, b) => a + b, 0) >= merchants.length);
    for (const [i, m] of merchants.entries()) {
      const list = (await api(t, m).get('/payouts').expect(200)).body.data;
      assert.equal(list.length, 1, `merchant ${i} has exactly one payout`);
      assert.equal(list[0].amount, `${i + 1}.00`);
    }
    await assertLedgerClean(t);
  });

  it('ledger:check fails (exit code 1, ok: false) when a balance transaction or a clearing wallet is broken by hand', async () => {
    const cli = async () => {
      const env = { ...process.env, NODE_ENV: 'development', DATABASE_URL: t.database.url };
      try {
        return { code: 0, report: JSON.parse((await run(process.execPath, ['--import', 'tsx', 'lib/cli.ts', 'ledger:check'], { env })).stdout) };
      } catch (err) {
        const e = err as { code: number; stdout: string };
        return { code: e.code, report: JSON.parse(e.stdout) };
      }
    };
    assert.equal((await cli()).code, 0);
    const [txn] = await query<{ id: string }>(t.database.db, `select id from balance_transactions where type = 'payment' limit 1`);
    await query(t.database.db, `update balance_transactions set amount = amount + 1, net = net + 1 where id = ?`, [txn!.id]);
    let broken = await cli();
    assert.equal(broken.code, 1);
    assert.equal(broken.report.ok, false);
    assert.equal(broken.report.problems.balanceTransactionMismatches.length, 1);
    await query(t.database.db, `update balance_transactions set amount = amount - 1, net = net - 1 where id = ?`, [txn!.id]);

    const [pending] = await query<{ id: string }>(t.database.db, `select id from payouts where status = 'pending' limit 1`);
    await query(t.database.db, `update payouts set status = 'paid' where id = ?`, [pending!.id]);
    broken = await cli();
    assert.equal(broken.code, 1);
    assert.equal(broken.report.problems.clearingMismatches.length, 1);
    await query(t.database.db, `update payouts set status = 'pending' where id = ?`, [pending!.id]);
    assert.equal((await cli()).code, 0);
  });

  it('refuses bad payout settings and fee percents with 400 naming the field, changing nothing', async () => {
    const merchant = await createTestMerchant(t);
    for (const [body, field] of [
      [{ payout_delay_days: 31 }, 'payout_delay_days'],
      [{ payout_delay_days: -1 }, 'payout_delay_days'],
      [{ payout_schedule: 'hourly' }, 'payout_schedule'],
      [{ payout_minimum: '-1' }, 'payout_minimum'],
      [{ payout_account: 'line\nbreak' }, 'payout_account'],
    ] as const) {
      const res = await t.admin('patch', `/admin/v1/merchants/${merchant.id}`).send(body).expect(400);
      assert.equal(res.body.errors[0].field, field);
    }
    const shop = await shopOf(merchant);
    for (const percent of ['101', '-1']) {
      const res = await t.admin('patch', `/admin/v1/shops/${shop}`).send({ fee: { percent } }).expect(400);
      assert.equal(res.body.errors[0].field, 'fee.percent');
    }
    const shown = (await t.admin('get', `/admin/v1/merchants/${merchant.id}`).expect(200)).body;
    assert.deepEqual([shown.payout_schedule, shown.payout_minimum, shown.payout_delay_days, shown.payout_account], ['weekly', '1.00', 7, null]);
  });
});
