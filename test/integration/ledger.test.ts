import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { ManualClock } from '../helpers/clock.js';
import { fundedWallet, minor } from '../helpers/builders.js';
import { inTransaction, query } from '../../lib/postgres/db.js';
import { postTransfer } from '../../lib/ledger/transfer.js';
import { placeHold, captureHold, releaseHold } from '../../lib/ledger/holds.js';
import { checkLedger } from '../../lib/use-cases/operators/read.js';
import { findWallet } from '../../lib/store/wallets.js';
import { isAppError } from '../../lib/domain/errors.js';

describe('ledger against PostgreSQL', () => {
  let t: TestDatabase;
  const clock = new ManualClock();
  const deps = () => ({ db: t.db, clock });

  before(async () => {
    t = await createTestDatabase(30);
  });
  after(async () => {
    await t.drop();
  });

  const move = (key: string, from: string, to: string, amount: bigint) =>
    inTransaction(t.db, (trx) =>
      postTransfer(trx, { key, kind: 'test', currency: 'USD', mode: 'live', legs: [{ purse: from, amount: -amount }, { purse: to, amount }], at: clock.now() }),
    );

  async function assertLedgerOk() {
    const report = await checkLedger(deps());
    assert.equal(report.ok, true, JSON.stringify(report.problems));
  }

  it('100 concurrent transfers of 1.00 out of 10.00: exactly 10 succeed and the balance ends at 0.00', async () => {
    const source = await fundedWallet(deps(), { balance: '10.00' });
    const sink = await fundedWallet(deps());
    const results = await Promise.allSettled(Array.from({ length: 100 }, (_, i) => move(`drain-${i}`, source.purse, sink.purse, minor('1.00'))));
    const succeeded = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected');
    assert.equal(succeeded.length, 10);
    for (const r of refused) assert.ok(isAppError(r.reason) && r.reason.code === 'insufficient_funds', String(r.reason));
    assert.equal((await findWallet(t.db, source.purse))!.balance, 0n);
    assert.equal((await findWallet(t.db, sink.purse))!.balance, minor('10.00'));
    const [lowest] = await query<{ min: bigint }>(t.db, 'select min(balance_after) as min from postings where purse = ?', [source.purse]);
    assert.equal(lowest!.min, 0n, 'never negative, not even in between');
    await assertLedgerOk();
  });

  it('200 concurrent transfers in both directions between two wallets: no deadlock reaches the caller, sums conserved', async () => {
    const a = await fundedWallet(deps(), { balance: '1000.00' });
    const b = await fundedWallet(deps(), { balance: '1000.00' });
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) => (i % 2 ? move(`ab-${i}`, a.purse, b.purse, minor('1.00') + BigInt(i)) : move(`ba-${i}`, b.purse, a.purse, minor('2.00')))),
    );
    const failures = results.filter((r) => r.status === 'rejected');
    assert.deepEqual(failures.map((f) => String((f as PromiseRejectedResult).reason)), []);
    const after = (await findWallet(t.db, a.purse))!.balance + (await findWallet(t.db, b.purse))!.balance;
    assert.equal(after, minor('2000.00'));
    await assertLedgerOk();
  });

  it('the same transfer key sent 20 times concurrently moves money once', async () => {
    const a = await fundedWallet(deps(), { balance: '50.00' });
    const b = await fundedWallet(deps());
    const results = await Promise.all(Array.from({ length: 20 }, () => move('once-only', a.purse, b.purse, minor('7.00'))));
    assert.equal(new Set(results.map((r) => r.transfer.id)).size, 1);
    assert.equal(results.filter((r) => !r.replayed).length, 1);
    assert.equal((await findWallet(t.db, a.purse))!.balance, minor('43.00'));
    assert.equal((await findWallet(t.db, b.purse))!.balance, minor('7.00'));
    await assertLedgerOk();
  });

  it('a reused key with another amount is refused and moves nothing', async () => {
    const a = await fundedWallet(deps(), { balance: '50.00' });
    const b = await fundedWallet(deps());
    await move('reuse-me', a.purse, b.purse, minor('1.00'));
    await assert.rejects(move('reuse-me', a.purse, b.purse, minor('2.00')), (err) => isAppError(err) && err.code === 'idempotency_key_reused');
    assert.equal((await findWallet(t.db, b.purse))!.balance, minor('1.00'));
  });

  it('refuses a direct UPDATE, DELETE or TRUNCATE of postings and transfers', async () => {
    const a = await fundedWallet(deps(), { balance: '5.00' });
    await assert.rejects(t.db.raw('update postings set amount = amount + 1 where purse = ?', [a.purse]), /append-only/);
    await assert.rejects(t.db.raw('delete from postings where purse = ?', [a.purse]), /append-only/);
    await assert.rejects(t.db.raw('truncate postings cascade'), /append-only/);
    await assert.rejects(t.db.raw(`update transfers set kind = 'x'`), /append-only/);
    await assert.rejects(t.db.raw('delete from transfers'), /append-only/);
  });

  it('refuses, in the database itself, a negative customer balance and an unbalanced transfer', async () => {
    const a = await fundedWallet(deps(), { balance: '5.00' });
    await assert.rejects(t.db.raw('update wallets set balance = -1 where purse = ?', [a.purse]), /wallets_balance_not_negative/);
    await assert.rejects(
      t.db.transaction(async (trx) => {
        const [tr] = await query<{ id: bigint }>(trx, `insert into transfers (key, kind, currency, mode, created_at) values ('lopsided', 'x', 'USD', 'live', now()) returning id`);
        await trx.raw('insert into postings (transfer_id, purse, amount, balance_after, created_at) values (?, ?, 100, 600, now())', [String(tr!.id), a.purse]);
      }),
      /does not balance/,
    );
  });

  it('the ledger check finds a balance that does not match its postings', async () => {
    const a = await fundedWallet(deps(), { balance: '5.00' });
    await t.db.raw('update wallets set balance = balance + 1 where purse = ?', [a.purse]);
    const report = await checkLedger(deps());
    assert.equal(report.ok, false);
    assert.deepEqual(report.problems.balanceMismatches.map((m) => m.purse), [a.purse]);
    assert.equal(report.problems.currencyTotals.length, 1, 'money appeared from nowhere');
    await t.db.raw('update wallets set balance = balance - 1 where purse = ?', [a.purse]);
    await assertLedgerOk();
  });

  describe('holds', () => {
    const hold = (key: string, purse: string, amount: string) =>
      inTransaction(t.db, (trx) => placeHold(trx, { key, purse, amount: minor(amount), currency: 'USD', mode: 'live', at: clock.now(), expiresAt: new Date(clock.now().getTime() + 60_000) }));

    it('reserve lowers available money, not the balance; a partial capture moves exactly that and releases the rest', async () => {
      const buyer = await fundedWallet(deps(), { balance: '10.00' });
      const shop = await fundedWallet(deps());
      const { hold: h } = await hold('h1', buyer.purse, '8.00');
      let w = (await findWallet(t.db, buyer.purse))!;
      assert.deepEqual([w.balance, w.held], [minor('10.00'), minor('8.00')]);
      await assert.rejects(move('spend-held', buyer.purse, shop.purse, minor('3.00')), (e) => isAppError(e) && e.code === 'insufficient_funds');
      await inTransaction(t.db, (trx) => captureHold(trx, { holdId: h.id, paymentId: 'pay_test', amount: minor('5.00'), fee: 0n, toPurse: shop.purse, transferKey: 'cap-h1', currency: 'USD', mode: 'live', at: clock.now() }));
      w = (await findWallet(t.db, buyer.purse))!;
      assert.deepEqual([w.balance, w.held], [minor('5.00'), 0n]);
      assert.equal((await findWallet(t.db, shop.purse))!.balance, minor('5.00'));
      await assert.rejects(
        inTransaction(t.db, (trx) => releaseHold(trx, { holdId: h.id, at: clock.now() })),
        (e) => isAppError(e) && e.code === 'invalid_state',
      );
      await assertLedgerOk();
    });

    it('a released hold gives the money back; concurrent holds never reserve more than the balance', async () => {
      const buyer = await fundedWallet(deps(), { balance: '10.00' });
      const results = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => hold(`many-${i}`, buyer.purse, '1.00')));
      const placed = results.filter((r): r is PromiseFulfilledResult<Awaited<ReturnType<typeof hold>>> => r.status === 'fulfilled');
      assert.equal(placed.length, 10);
      await inTransaction(t.db, (trx) => releaseHold(trx, { holdId: placed[0]!.value.hold.id, at: clock.now() }));
      const w = (await findWallet(t.db, buyer.purse))!;
      assert.deepEqual([w.balance, w.held], [minor('10.00'), minor('9.00')]);
      await assertLedgerOk();
    });
  });
});
