import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { ManualClock } from '../helpers/clock.js';
import { fundedWallet } from '../helpers/builders.js';
import { inTransaction, query } from '../../lib/postgres/db.js';
import { postTransfer } from '../../lib/ledger/transfer.js';
import { placeHold } from '../../lib/ledger/holds.js';
import { isAppError } from '../../lib/domain/errors.js';
import type { Leg } from '../../lib/domain/ledger.js';

/**
 * Issue 37: the ledger's rules live in tp_transfer and tp_hold (migrations/20261208100000_ledger_functions.ts) only; each decision
 * is tested here against PostgreSQL, one by one (they were the unit tests of the TypeScript planTransfer they replace).
 */
describe('ledger rules in PostgreSQL (tp_transfer, tp_hold)', () => {
  let t: TestDatabase;
  const clock = new ManualClock();
  const deps = () => ({ db: t.db, clock });
  let n = 0;
  const transfer = (legs: Leg[], extra: { currency?: 'USD' | 'EUR'; mode?: 'live' | 'test'; release?: Map<string, bigint>; key?: string } = {}) =>
    inTransaction(t.db, (trx) => postTransfer(trx, {
      key: extra.key ?? `rule-${n++}`, kind: 'test', currency: extra.currency ?? 'USD', mode: extra.mode ?? 'live', legs, at: clock.now(), releaseHeld: extra.release,
    }));
  const outcome = async (p: Promise<unknown>) => {
    try {
      await p;
      return 'none';
    } catch (err) {
      return isAppError(err) ? err.code : `bug: ${(err as Error).message}`;
    }
  };
  const balanceOf = async (purse: string) => (await query<{ balance: bigint; held: bigint }>(t.db, 'select balance, held from wallets where purse = ?', [purse]))[0]!;

  before(async () => {
    t = await createTestDatabase(4);
  });
  after(async () => {
    await t.drop();
  });

  it('posts every leg with the balance after it, and moves the balances', async () => {
    const a = await fundedWallet(deps(), { balance: '10.00' });
    const b = await fundedWallet(deps(), { balance: '0.05' });
    const { transfer: done } = await transfer([{ purse: a.purse, amount: -300n }, { purse: b.purse, amount: 300n }]);
    const postings = await query<{ purse: string; amount: bigint; balanceAfter: bigint }>(t.db,
      'select purse, amount, balance_after as "balanceAfter" from postings where transfer_id = ? order by id', [done.id]);
    assert.deepEqual(postings, [{ purse: a.purse, amount: -300n, balanceAfter: 700n }, { purse: b.purse, amount: 300n, balanceAfter: 305n }]);
    assert.equal((await balanceOf(a.purse)).balance, 700n);
  });

  it('raises on legs that do not sum to zero, a zero leg or a single leg: bugs, not buyers\' errors', async () => {
    const a = await fundedWallet(deps(), { balance: '10.00' });
    const b = await fundedWallet(deps());
    assert.match(await outcome(transfer([{ purse: a.purse, amount: -1n }, { purse: b.purse, amount: 2n }])), /^bug: [\s\S]*do not sum to zero/);
    assert.match(await outcome(transfer([{ purse: a.purse, amount: 0n }, { purse: b.purse, amount: 0n }])), /^bug: [\s\S]*zero leg/);
    assert.match(await outcome(transfer([{ purse: a.purse, amount: 0n }])), /^bug: [\s\S]*two legs/);
  });

  it('lets no customer or merchant wallet go below what it has on hold, and refuses without writing', async () => {
    const poor = await fundedWallet(deps(), { balance: '0.99' });
    const b = await fundedWallet(deps());
    assert.equal(await outcome(transfer([{ purse: poor.purse, amount: -100n }, { purse: b.purse, amount: 100n }])), 'insufficient_funds');
    const holding = await fundedWallet(deps(), { balance: '1.50' });
    await inTransaction(t.db, (trx) => placeHold(trx, { key: `hold-${n++}`, purse: holding.purse, amount: 60n, currency: 'USD', mode: 'live', at: clock.now(), expiresAt: clock.now() }));
    assert.equal(await outcome(transfer([{ purse: holding.purse, amount: -100n }, { purse: b.purse, amount: 100n }])), 'insufficient_funds', '150 − 60 held < 100');
    assert.equal(await outcome(transfer([{ purse: holding.purse, amount: -90n }, { purse: b.purse, amount: 90n }])), 'none', '150 − 60 held = 90');
    assert.deepEqual(await balanceOf(poor.purse), { balance: 99n, held: 0n });
    const [row] = await query<{ count: number }>(t.db, 'select count(*)::int from postings where purse = ?', [poor.purse]);
    assert.equal(row!.count, 1, 'only the top-up: the refused transfer wrote nothing');
  });

  it('lets the operator\'s issuance wallet go below zero (it is where money comes from)', async () => {
    const [issuance] = await query<{ purse: string }>(t.db, "select purse from wallets where kind = 'system' and currency = 'USD' and mode = 'live' limit 1");
    const b = await fundedWallet(deps());
    assert.equal(await outcome(transfer([{ purse: issuance!.purse, amount: -1n }, { purse: b.purse, amount: 1n }])), 'none');
  });

  it('spends held money when the transfer releases the hold', async () => {
    const a = await fundedWallet(deps(), { balance: '1.00' });
    const b = await fundedWallet(deps());
    await inTransaction(t.db, (trx) => placeHold(trx, { key: `hold-${n++}`, purse: a.purse, amount: 100n, currency: 'USD', mode: 'live', at: clock.now(), expiresAt: clock.now() }));
    await transfer([{ purse: a.purse, amount: -60n }, { purse: b.purse, amount: 60n }], { release: new Map([[a.purse, 100n]]) });
    assert.deepEqual(await balanceOf(a.purse), { balance: 40n, held: 0n });
  });

  it('keeps currencies and live/test money apart, and names a wallet that does not exist', async () => {
    const usd = await fundedWallet(deps(), { balance: '1.00' });
    const eur = await fundedWallet(deps(), { currency: 'EUR' });
    const test = await fundedWallet(deps(), { mode: 'test' });
    assert.equal(await outcome(transfer([{ purse: usd.purse, amount: -1n }, { purse: eur.purse, amount: 1n }])), 'currency_mismatch');
    assert.equal(await outcome(transfer([{ purse: usd.purse, amount: -1n }, { purse: test.purse, amount: 1n }])), 'mode_mismatch');
    assert.equal(await outcome(transfer([{ purse: usd.purse, amount: -1n }, { purse: 'Z999999999999', amount: 1n }])), 'wallet_not_found');
  });

  it('moves money once per key: a retry replays, even after the money moved on; another movement under the key is refused', async () => {
    const a = await fundedWallet(deps(), { balance: '1.00' });
    const b = await fundedWallet(deps());
    const first = await transfer([{ purse: a.purse, amount: -100n }, { purse: b.purse, amount: 100n }], { key: 'once' });
    const again = await transfer([{ purse: a.purse, amount: -100n }, { purse: b.purse, amount: 100n }], { key: 'once' });
    assert.equal(again.replayed, true);
    assert.equal(again.transfer.id, first.transfer.id);
    assert.equal((await balanceOf(a.purse)).balance, 0n, 'moved once, and the replay is not refused for want of money');
    assert.equal(await outcome(transfer([{ purse: a.purse, amount: -50n }, { purse: b.purse, amount: 50n }], { key: 'once' })), 'idempotency_key_reused');
  });

  it('reserves only what is available, and a second reservation with the key is the first', async () => {
    const a = await fundedWallet(deps(), { balance: '1.00' });
    const hold = (key: string, amount: bigint) => inTransaction(t.db, (trx) => placeHold(trx, { key, purse: a.purse, amount, currency: 'USD', mode: 'live', at: clock.now(), expiresAt: clock.now() }));
    const first = await hold('h-a', 40n);
    assert.equal((await hold('h-a', 40n)).hold.id, first.hold.id);
    assert.equal(await outcome(hold('h-b', 61n)), 'insufficient_funds');
    assert.equal(await outcome(hold('h-c', 60n)), 'none');
    assert.deepEqual(await balanceOf(a.purse), { balance: 100n, held: 100n });
  });
});
